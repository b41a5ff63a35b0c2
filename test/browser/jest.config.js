/** Browser tests: a real Cockpit (started here, or $COCKPIT_URL) and Debian's Chromium. See test/browser/README.md. */
const path = require("path");

module.exports = {
    rootDir: path.join(__dirname, "..", ".."),
    roots: ["<rootDir>/test/browser"],
    testMatch: ["**/*.test.js"],
    testEnvironment: "node",
    maxWorkers: 1, // one Cockpit and one Chromium at a time (2 cores)
    testTimeout: 60000,
    verbose: true,
    globalSetup: "<rootDir>/test/browser/global-setup.js",
    globalTeardown: "<rootDir>/test/browser/global-teardown.js",
};
