import js from "@eslint/js";
import tseslint from "typescript-eslint";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import jsxA11y from "eslint-plugin-jsx-a11y";
import globals from "globals";

export default tseslint.config(
    { ignores: ["dist/", "node_modules/", "test/artifacts/", "test/.run/"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ["src/**/*.{ts,tsx}", "test/unit/**/*.{ts,tsx}"],
        plugins: { react, "react-hooks": reactHooks, "jsx-a11y": jsxA11y },
        languageOptions: { globals: { ...globals.browser } },
        settings: { react: { version: "18" } },
        rules: {
            ...react.configs.recommended.rules,
            ...react.configs["jsx-runtime"].rules,
            "react-hooks/rules-of-hooks": "error",
            "react-hooks/exhaustive-deps": "error",
            ...jsxA11y.configs.recommended.rules,
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
            "no-restricted-globals": ["error", { name: "cockpit", message: "use src/lib/cockpit.ts" }],
            // The barrel pulls every component's CSS into the bundle: import from the component's folder, as Cockpit does.
            "no-restricted-imports": ["error", { paths: [
                { name: "@patternfly/react-core", message: "import from @patternfly/react-core/dist/esm/components/<Name>/index.js" },
                { name: "@patternfly/react-icons", message: "import from @patternfly/react-icons/dist/esm/icons/<name>-icon.js" },
            ] }],
        },
    },
    // The layers (README "Architecture"): the UI renders what the session layer gives it; the session layer holds
    // no React; checks are pure functions of facts and never reach a host.
    {
        files: ["src/ui/**/*.{ts,tsx}"],
        rules: {
            "@typescript-eslint/no-restricted-imports": ["error", { patterns: [
                { group: ["**/host", "**/host/**", "**/parsers", "**/parsers/**", "**/libvirt", "**/libvirt/**", "**/rules/**"],
                  message: "the UI reaches hosts, tools and libvirt through src/session" },
                { group: ["**/checks", "**/checks/**", "**/steps", "**/steps/**", "**/migration/**"], allowTypeImports: true,
                  message: "the UI takes only types from the domain layers; functions come through src/session" },
            ] }],
        },
    },
    {
        files: ["src/session/**/*.ts"],
        rules: {
            "@typescript-eslint/no-restricted-imports": ["error", { patterns: [
                { group: ["react", "react-dom", "react-dom/*", "@patternfly/*", "**/ui/**"], message: "the session layer holds no React and knows no view" },
            ] }],
        },
    },
    {
        files: ["src/checks/**/*.ts", "src/rules/**/*.ts"],
        rules: {
            "@typescript-eslint/no-restricted-imports": ["error", { patterns: [
                { group: ["**/host/local", "**/host/ssh", "**/host/transport", "**/host/probe", "**/host/packagekit", "**/host/journal",
                          "**/libvirt/**", "**/session/**", "**/ui/**", "react"],
                  message: "checks and rules are pure functions of facts: no transport, no libvirt, no session" },
            ] }],
        },
    },
    {
        files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
        languageOptions: { globals: { ...globals.node }, sourceType: "commonjs" },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
);
