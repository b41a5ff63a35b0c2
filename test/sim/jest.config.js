/** Simulator suite: tests that start real daemons (namespaces, FUSE, libvirt). One file at a time. */
module.exports = {
    testEnvironment: "node",
    roots: ["<rootDir>"],
    testMatch: ["**/*.test.ts"],
    testTimeout: 120000,
    maxWorkers: 1,
    transform: {
        "^.+\\.tsx?$": ["ts-jest", { tsconfig: { isolatedModules: true, module: "commonjs", esModuleInterop: true } }],
        // the exports' bash helpers (src/steps/lib.sh) are loaded as text, as esbuild does for the page
        "^.+\\.sh$": "<rootDir>/../unit/sh-transform.js",
    },
};
