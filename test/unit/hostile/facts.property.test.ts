/*
 * A host answering garbage: the probe's framing and the facts built from its records, fed random output.
 * The page must get "unknown" (with the raw output as evidence), never a crash and never a pass it cannot back.
 */
import fc from "fast-check";
import { buildFacts } from "../../../src/checks/gather";
import { probePlan } from "../../../src/checks/plan";
import { evaluateHost, PAIR_CHECKS } from "../../../src/checks";
import type { CommandEvidence, Verdict } from "../../../src/checks/types";
import { parseProbeOutput } from "../../../src/host/probe";
import { PciAddress } from "../../../src/host/values";
import { hostile, property } from "../host/arbitraries";

const PF = "0000:e1:00.0";
const items = probePlan([PciAddress.of(PF)]);
const VERDICTS: Verdict[] = ["pass", "warn", "fail", "unknown", "pending-reboot"];

const randomBytes = fc.uint8Array({ maxLength: 300 }).map(b => new TextDecoder("utf-8", { fatal: false }).decode(b));
const output = fc.oneof(hostile, randomBytes, fc.constantFrom("", "<img src=x onerror=alert(1)>\n", "\u001b[31mred\u001b[0m\n", "\u202eevil\n"));

const record = fc.record({
    stdout: output, stderr: output,
    exitStatus: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: -1, max: 255 }), fc.constant(null)),
    durationMs: fc.nat(100_000),
});

/** Every record of the plan replaced by random output; some records missing (the probe stopped early). */
const outcomeArb = fc.tuple(fc.array(record, { minLength: items.length, maxLength: items.length }), fc.nat(items.length), fc.option(hostile))
        .map(([recs, kept, problem]) => ({
            host: "h", items,
            records: recs.slice(0, kept).map((r, i): CommandEvidence => ({ host: "h", argv: items[i].argv, ...r })),
            ...(problem !== null ? { problem } : {}),
        }));

describe("facts from a host answering garbage", () => {
    property("buildFacts and every check accept random records: known verdicts, string summaries, no exception", outcomeArb, outcome => {
        const facts = buildFacts(outcome);
        for (const role of ["source", "destination"] as const) {
            for (const r of evaluateHost({ facts, role, protocol: "ssh" })) {
                expect(VERDICTS).toContain(r.verdict);
                expect(typeof r.summary).toBe("string");
            }
        }
        for (const def of PAIR_CHECKS) {
            const r = def.evaluate({ source: facts, destination: facts });
            expect(VERDICTS).toContain(r.verdict);
        }
    }, 3000);

    // Output no parser accepts, from every command, with exit status 0: the parsed facts are unknown and keep the
    // raw output as evidence (what the admin then reads), instead of defaults that could pass a check.
    property("unparsable output makes the parsed facts unknown, with the raw text kept", fc.constantFrom(
        "\u0000\u0001garbage \u001b[31m<script>x</script>\n", "{\"truncated\": [1, 2\n", "\ufffd\ufffd\ufffd", "<img src=x onerror=alert(1)>\n"),
    text => {
        const outcome = { host: "h", items, records: items.map((it): CommandEvidence => ({ host: "h", argv: it.argv, stdout: text, stderr: "", exitStatus: 0, durationMs: 1 })) };
        const facts = buildFacts(outcome);
        for (const key of ["os", "nextBootArgs", "cpuVendor", "libvirtVersion", "ovs", "firewall", "units", "nics"] as const) {
            const f = facts[key];
            expect([key, f.known]).toEqual([key, false]);
            if (!f.known && f.evidence.length)
                expect(f.evidence[0].command.stdout).toBe(text);
        }
        // (/proc/cmdline is free text: any line is a command line)
        // only what a bare exit status decides (a device node exists, a module is known) may still pass, and the
        // checks of another protocol (TCP's login, TLS's certificates), which nothing on the host changes for SSH
        const passed = evaluateHost({ facts, role: "destination", protocol: "ssh" }).filter(r => r.verdict === "pass").map(r => r.id);
        expect(passed.filter(id => !["kvm", "mlx5-vfio-pci", "libvirt-tcp-auth", "tls-certificates"].includes(id))).toEqual([]);
        for (const [protocol, id] of [["tcp", "libvirt-tcp-auth"], ["tls", "tls-certificates"]] as const)
            expect(evaluateHost({ facts, role: "destination", protocol }).find(r => r.id === id)?.verdict).not.toBe("pass");
    }, 4);

    test("output cut at the probe's byte limit is unknown even where what was kept parses; a command stopped by the probe's timeout says so", () => {
        const at = (key: string, over: Partial<CommandEvidence>) => items.map((it): CommandEvidence => ({
            host: "h", argv: it.argv, stdout: "", stderr: "", exitStatus: 1, durationMs: 1, ...(it.key === key ? over : {}),
        }));
        const cut = buildFacts({ host: "h", items, records: at("os-release", { stdout: "NAME=\"Red Hat Enterprise Linux\"\nVERSION_ID=\"9.6\"\n", exitStatus: 0, truncated: { stdout: true, stderr: false }, outputLimit: 1048576 }) });
        expect(cut.os).toEqual(expect.objectContaining({ known: false, reason: "the output of “cat” was longer than the 1 MiB read and was cut" }));
        const slow = buildFacts({ host: "h", items, records: at("os-release", { exitStatus: 124, stoppedAfterS: 20 }) });
        expect(slow.os).toEqual(expect.objectContaining({ known: false, reason: "“cat” did not finish within 20 seconds and was stopped" }));
    });

    property("the probe's framing parser accepts any text without throwing", fc.oneof(hostile, randomBytes,
        fc.array(fc.constantFrom("VFM-PROBE 1", "R 0 0 1 3 0", "O", "E", ".", "aGk=", "VFM-PROBE-END 1", "VFM-PROBE-ERROR x", "R 0 0 1 99999999999 0"), { maxLength: 12 }).map(l => l.join("\n"))),
    text => {
        const p = parseProbeOutput(text);
        expect(Array.isArray(p.records)).toBe(true);
        if (!p.complete)
            expect(p.records.length).toBeLessThanOrEqual(text.split("\n").length);
    });
});
