/*
 * ssh's own failures, as measured on the simulated pair (OpenSSH 10.0), name the fault plainly; any other stderr
 * (a remote tool's, or garbage) never makes up a transport failure.
 */
import fc from "fast-check";
import { classifySshFailure } from "../../../src/host/ssh-argv";
import { hostile, property } from "../host/arbitraries";

describe("ssh failures", () => {
    test.each([
        // the link cut under a shared master connection: the mux client loses its master, then connects anew
        ["mux_client_request_session: read from master failed: Broken pipe\nssh: connect to host rhel-dst.example.test port 22: Connection timed out\n", "unreachable"],
        // the master's keep-alive gave up
        ["Timeout, server rhel-dst.example.test not responding.\n", "unreachable"],
        // the destination rebooted under an open session
        ["Connection to rhel-dst.example.test closed by remote host.\n", "unreachable"],
        ["root@rhel-dst.example.test: Permission denied (publickey,password).\n", "auth-refused"],
        ["@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n", "host-key-changed"],
    ])("%j → %s", (stderr, kind) => {
        expect(classifySshFailure(255, stderr)).toBe(kind);
    });

    property("a remote command's exit status other than 255 is never an ssh failure, whatever it printed", fc.tuple(fc.integer({ min: 0, max: 254 }), hostile),
             ([status, stderr]) => expect(classifySshFailure(status, stderr)).toBeNull());

    property("any stderr with 255 classifies without throwing", hostile, stderr => {
        const k = classifySshFailure(255, stderr);
        expect(k === null || typeof k === "string").toBe(true);
    });
});
