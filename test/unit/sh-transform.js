/* jest: a .sh file imported as its text, as esbuild's text loader does in build.js. */
module.exports = {
    process(source) {
        return { code: `module.exports = ${JSON.stringify(source)};` };
    },
};
