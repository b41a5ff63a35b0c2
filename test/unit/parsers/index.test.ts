import { parse, TOOLS } from "../../../src/parsers";

describe("parse(tool, text)", () => {
    test("a success carries the tool; a failure names tool, line, text and message", () => {
        expect(parse("os-release", "ID=rhel\n")).toEqual({ ok: true, tool: "os-release", value: { idLike: [], fields: { ID: "rhel" }, id: "rhel" } });
        expect(parse("virsh-version", "x\n")).toEqual({
            ok: false, tool: "virsh-version",
            error: { tool: "virsh-version", line: 1, text: "x", message: "expected “Label: name version”" },
        });
    });

    test("an unknown tool key is an error, not an exception", () => {
        const r = parse("nope" as unknown as "os-release", "x");
        expect(r.ok).toBe(false);
    });

    test("empty output: every tool either errors or returns an explicitly empty value", () => {
        const emptyOk = ["devlink-port", "lspci", "ip-link",
            // listings where nothing is a valid answer: no VF, no binding, no connection, no address
            "path-list", "virtfn-links", "name-lines", "ip-addr", "ss-established", "mgmt-routes",
            // an empty libvirt configuration file (libvirt's defaults); a certificate without subjectAltName
            "libvirt-conf", "cert-san",
            // pgrep finds no libvirt-dbus: it has not been started yet (null, not a figure)
            "libvirt-dbus-threads",
            // no interface of the PF has a NetworkManager profile active on it
            "nm-pf-profiles"];
        for (const tool of TOOLS) {
            const r = parse(tool, "");
            expect([tool, r.ok]).toEqual([tool, emptyOk.includes(tool)]);
        }
    });

    test("binary garbage never throws and never succeeds for a line-oriented tool", () => {
        const junk = "\u0000\u0001\u001b[31m\uFFFD<script>\n";
        for (const tool of TOOLS)
            expect([tool, parse(tool, junk).ok]).toEqual([tool, false]);
    });

    test("the result narrows on ok to the tool's own value type", () => {
        const r = parse("devlink-eswitch", "pci/0000:e1:00.0: mode switchdev inline-mode none encap-mode basic\n");
        const mode = r.ok ? r.value.devices[0].mode : r.error.message;
        expect(mode).toBe("switchdev");
    });

    test("CRLF line ends are tolerated", () => {
        expect(parse("devlink-eswitch", "pci/0000:e1:00.0: mode switchdev\r\n").ok).toBe(true);
    });
});
