/*
 * The fake tools' face (test/simhost/lib/toolclient.c) and body (lib/toolsrv.py): a tool called by its name inside
 * a host answers exactly as its script run directly (stdout, stderr, exit status, stdin read, user), a caller killed
 * by `timeout` takes its tool with it, and a host without its server still answers (the face runs the script).
 */
import { Host, requirePair, run, simhost } from "./pair";

const SCRIPTS = "/run/vfsim-host/fs/fakesrc";

/** The same call through the face (the name on PATH) and through the script itself. */
function both(host: Host, argv: string[], input?: string) {
    const wrap = (a: string[]) => input === undefined ? a : ["sh", "-c", `printf '%s' "$0" | "$@"`, input, ...a];
    return { face: run(host, wrap(argv)), script: run(host, wrap([`${SCRIPTS}/${argv[0]}`, ...argv.slice(1)])) };
}

describe("the fake tools through the host's tool server", () => {
    beforeAll(() => {
        requirePair();
        simhost("load", "ready-pair");
    });

    test.each([
        [["uname", "-r"]],
        [["lspci", "-D", "-nn", "-d", "15b3:"]],
        [["systemctl", "show", "-p", "Id,ActiveState", "--", "libvirtd.service", "openvswitch.service"]],
        [["rpm", "-q", "mstflint", "no-such-package"]],
        [["devlink", "-j", "dev", "info", "pci/0000:ff:00.0"]],
        [["mstconfig", "-d", "0000:e1:00.0", "query", "SRIOV_EN", "NUM_OF_VFS"]],
        [["firewall-cmd", "--state"]],
        [["grubby", "--no-such-option"]],
    ])("%j answers as its script does", argv => {
        const { face, script } = both("source", argv);
        expect(face).toEqual(script);
        expect(face.stdout + face.stderr).not.toBe("");
    });

    test("stdin reaches the tool: mstconfig's y/n prompt answered no", () => {
        const { face, script } = both("destination", ["mstconfig", "-d", "0000:c1:00.0", "set", "NUM_OF_VFS=4"], "n\n");
        expect(face).toEqual(script);
        expect(face.status).toBe(1);
        expect(face.stdout + face.stderr).toContain("Aborted by user");
    });

    test("a non-root caller runs the tool as itself (the tools that need root say so)", () => {
        const face = run("source", ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "mstconfig", "-d", "0000:e1:00.0", "q"]);
        const script = run("source", ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", `${SCRIPTS}/mstconfig`, "-d", "0000:e1:00.0", "q"]);
        expect(face).toEqual(script);
        expect(face.status).not.toBe(0);
    });

    test("a caller killed by timeout takes its tool with it", () => {
        // a fault that holds mstflint for 30 s
        run("source", ["/usr/bin/python3", "-c",
            "import sys\nsys.path.insert(0, '/run/vfsim-host/lib')\nimport hwstate as H\nwith H.mutate() as st:\n" +
            "    st['faults'] = [{'match': 'mstflint -d 0000:e1:00.0 q', 'delayMs': 30000}]\n"]);
        try {
            // the tool runs as a child of the server (a fork: it bears the server's command line), until its
            // caller is killed
            const r = run("source", ["sh", "-c", 'srv=$(cat /run/vfsim-host/pids/toolsrv.pid); ' +
                'timeout 2 mstflint -d 0000:e1:00.0 q & sleep 1; echo "during: $(pgrep -c -P "$srv")"; ' +
                'wait $!; echo "status: $?"; sleep 1; echo "after: $(pgrep -c -P "$srv")"']);
            expect(r.stdout).toBe("during: 1\nstatus: 124\nafter: 0\n");
        } finally {
            simhost("load", "ready-pair");
        }
    });

    test("without its server a host's tools still answer, from their scripts", () => {
        const pid = run("source", ["cat", "/run/vfsim-host/pids/toolsrv.pid"]).stdout.trim();
        expect(pid).toMatch(/^\d+$/);
        try {
            run("source", ["kill", pid]);
            const r = run("source", ["uname", "-r"]);
            expect(r).toEqual({ status: 0, stdout: "5.14.0-570.el9.x86_64\n", stderr: "" });
        } finally {
            run("source", ["/usr/bin/env", "VFSIM_HOST_DIR=/run/vfsim-host", "/bin/sh", "-c", "exec \"$0\"", `${process.cwd()}/test/simhost/lib/toolsrv-start`]);
        }
        // a new server, alive, whose children are the tools again
        const again = run("source", ["cat", "/run/vfsim-host/pids/toolsrv.pid"]).stdout.trim();
        expect(again).not.toBe(pid);
        expect(run("source", ["ps", "-o", "stat=", "-p", again]).stdout.trim()).toMatch(/^S/);
    });
});
