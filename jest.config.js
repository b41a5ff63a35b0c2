/** Unit and property tests: pure code, no Cockpit, no host. */
module.exports = {
    testEnvironment: "node",
    // jest's default (cores − 1) runs one worker on a 2-core machine; its parent process only waits: 2 workers took
    // the suite from 139 s to 96 s there
    maxWorkers: Math.max(2, require("os").availableParallelism() - 1),
    roots: ["<rootDir>/test/unit"],
    testMatch: ["**/*.test.ts", "**/*.test.tsx"],
    transform: {
        "^.+\\.tsx?$": ["ts-jest", { tsconfig: { jsx: "react-jsx", module: "commonjs", esModuleInterop: true, isolatedModules: true } }],
        "^.+\\.sh$": "<rootDir>/test/unit/sh-transform.js",
    },
    setupFiles: ["<rootDir>/test/unit/setup.ts"],
    moduleNameMapper: {
        "\\.(css|scss)$": "<rootDir>/test/unit/style-stub.js",
        // PatternFly's CommonJS build, for the tests that render views (the page itself bundles the ES modules)
        "^@patternfly/(react-core|react-icons)/dist/esm/(.*)$": "@patternfly/$1/dist/js/$2",
        // the page's Tooltip in PatternFly's components, as build.js bundles them (src/ui/Tooltip.tsx)
        "^\\.\\./Tooltip$": "<rootDir>/src/ui/Tooltip.tsx",
    },
};
