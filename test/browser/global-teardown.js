/* After the browser tests, also after failures: stop whatever a test file left running (by PID/process group). */
const { stopRegistered } = require("../lib/cockpit-ws.processes");

module.exports = async function globalTeardown() {
    await stopRegistered(process.env.VFM_PID_REGISTRY);
};
