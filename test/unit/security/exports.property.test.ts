/*
 * Nothing a host says can become code. Hostile values (newlines, $(…), backticks, quotes, Jinja, YAML indicators,
 * NUL, 4 KiB names, undecodable bytes, lone surrogates, U+2028…) are spliced into every record of a ready host's
 * probe; the facts come from the real parsers and buildFacts. Then:
 *  - every value stored in the facts is valid as its own type;
 *  - both exports either refuse with a ValueError, or are exactly the render of a twin host whose names are plain
 *    tokens, with each token replaced by the quoted word (code) or the comment-safe form (comments) of the value;
 *  - a sample goes through real bash (the whole script parsed as one function body and printed back by
 *    `declare -f`: bash's own parse, comments dropped) and through PyYAML with Ansible's !unsafe tag, and parses
 *    to the twin's structure, with no Jinja outside the !unsafe blocks that the template did not have.
 */
import { spawnSync } from "child_process";
import fs from "fs";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { buildFacts } from "../../../src/checks/gather";
import type { HostFacts } from "../../../src/checks/facts";
import { BridgeName, DevlinkPort, DriverName, Host, HostText, Netdev, PciAddress, ValueError, Word } from "../../../src/host/values";
import { DEFAULT_OPTIONS, contextFromFacts, exportAnsible, exportShell } from "../../../src/steps";
import { shWord } from "../../../src/steps/common";
import { quoteArgv } from "../../../src/host/quote";
import { commentSafe } from "../../../src/steps/export-quote";
import type { ExportHost } from "../../../src/steps/export-shell";
import type { PrepareOptions } from "../../../src/steps/types";
import { hostile } from "../host/arbitraries";
import { BENIGN, items, records } from "./records";

const FACT_SETS = 10_000;
/** one render in BASH_EVERY goes through real bash and PyYAML (in batches), one in YAML_EVERY through the yaml package */
const BASH_EVERY = 40;
const YAML_EVERY = 25;
/** one fact set in BOTH_EVERY is exported with a benign other host in the same file */
const BOTH_EVERY = 5;

// valid as Linux interface names (≤ 15 bytes, no '/', ':' or space), and shell or Jinja syntax
const NASTY_NAMES = ["$(reboot)", "`sh<&0`", "a;id", "'x'", "\"x\"", "{{7*7}}", "{%raw%}", "{#x#}", "x|sh", "a&&b", "$IFS", "!x",
    "*", "~root", "a\\b", "-x", "x>y", "#x", "&a", "*a", "!!str", "%x", "é😀", "if", "x=y", "{a,b}", "[ab]", "\ufffd"];
const PAYLOADS = ["$(touch /tmp/vfm-pwned)", "`id`", "';id;'", "\"$(id)\"", "{{ lookup('pipe','id') }}", "{% if 1 %}x{% endif %}",
    "{#c#}", "\n- hosts: all\n  become: true\n  tasks:\n  - shell: id\n", "x: y", "&a", "*a", "!!python/object/apply:os.system ['id']",
    "|", ">", "? x", "%YAML 1.1", "---", "...", "#", "\0", "\ud800", "\udc00x", "\u2028", "\u2029", "\u0085", "\r", "\n", "\t",
    "a".repeat(4096), "\ufeff"];

const nonUtf8 = fc.uint8Array({ minLength: 1, maxLength: 40 }).map(b => new TextDecoder("utf-8", { fatal: false }).decode(b));
const value: fc.Arbitrary<string> = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_NAMES) },
    { weight: 2, arbitrary: fc.constantFrom(...PAYLOADS) },
    { weight: 2, arbitrary: fc.array(fc.constantFrom(...PAYLOADS, ...NASTY_NAMES), { minLength: 2, maxLength: 4 }).map(p => p.join("")) },
    { weight: 2, arbitrary: hostile },
    { weight: 1, arbitrary: nonUtf8 },
);

type Mutation = { key: string; how: "word" | "line" | "whole"; at: number; value: string };

const KEYS = items.map(i => i.key);
const mutation: fc.Arbitrary<Mutation> = fc.record({
    // the records whose names reach the scripts, more often
    key: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...KEYS) },
                  { weight: 2, arbitrary: fc.constantFrom("hostname", `${items.find(i => i.key.endsWith("/net"))?.key}`, "devlink-ports", "ovs-show", "ip-addr", "ip-link") }),
    how: fc.constantFrom("word", "word", "line", "whole"),
    at: fc.nat(),
    value,
});

/** Every string in a JSON document, keys included, as setters. */
function jsonSlots(doc: unknown): ((v: string) => void)[] {
    const out: ((v: string) => void)[] = [];
    const walk = (o: Record<string, unknown>) => {
        for (const k of Object.keys(o)) {
            const v = o[k];
            if (typeof v === "string")
                out.push(x => { o[k] = x });
            else if (v && typeof v === "object")
                walk(v as Record<string, unknown>);
            out.push(x => { const keep = o[k]; delete o[k]; o[x] = keep });
        }
    };
    walk(doc as Record<string, unknown>);
    return out;
}

function jsonOrNull(text: string): unknown {
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return null;
    }
}

function mutate(stdout: string, m: Mutation): string {
    if (m.how === "whole")
        return m.value + "\n";
    // a JSON document, unless an earlier mutation of the same output only made it look like one ('{"' + newline)
    const doc = stdout.startsWith("{\"") ? jsonOrNull(stdout) : null;
    if (doc !== null) {
        const slots = jsonSlots(doc);
        slots[m.at % slots.length](m.value);
        return JSON.stringify(doc);
    }
    if (m.how === "line") {
        const lines = stdout.split("\n");
        lines[m.at % lines.length] = m.value;
        return lines.join("\n");
    }
    const words = [...stdout.matchAll(/[A-Za-z0-9_./-]+/g)];
    if (!words.length)
        return m.value;
    const w = words[m.at % words.length];
    return stdout.slice(0, w.index) + m.value + stdout.slice((w.index ?? 0) + w[0].length);
}

const options: fc.Arbitrary<PrepareOptions> = fc.record({
    protocol: fc.constantFrom("ssh", "tls", "tcp"),
    bridge: fc.oneof({ weight: 4, arbitrary: fc.constant("br-vf") }, { weight: 2, arbitrary: fc.constantFrom(...NASTY_NAMES) }, { weight: 1, arbitrary: value }),
    numVfs: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 64 }) }, { weight: 1, arbitrary: fc.constantFrom(NaN, -1, 2.5, 1e21, 5000) }),
    persist: fc.boolean(),
});

const factSet = fc.record({
    mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
    role: fc.constantFrom("source", "destination") as fc.Arbitrary<"source" | "destination">,
    options,
});

/* the facts hold only values valid as their own type */
function assertValidFacts(f: HostFacts): void {
    const valid = (t: { parse: (x: unknown) => { ok: boolean } }, v: unknown, what: string) => {
        if (!t.parse(v).ok)
            throw new Error(`${what} stored unvalidated: ${JSON.stringify(v)}`);
    };
    if (f.hostname !== null)
        valid(Host, f.hostname, "hostname");
    if (f.nics.known)
        for (const n of f.nics.value) {
            valid(PciAddress, n.pci, "PF address");
            if (n.netdev !== null)
                valid(Netdev, n.netdev, "PF netdev");
            if (n.firmware.known)
                valid(Word, n.firmware.value.version, "firmware version");
            if (n.eswitchMode.known)
                valid(Word, n.eswitchMode.value, "e-switch mode");
            for (const v of n.vfs) {
                valid(PciAddress, v.pci, "VF address");
                v.iommuGroupMembers.forEach(m => valid(PciAddress, m, "IOMMU group member"));
                if (v.driver !== "none")
                    valid(DriverName, v.driver, "driver");
                if (v.representor !== null)
                    valid(Netdev, v.representor, "representor");
                if (v.port)
                    valid(DevlinkPort, v.port.handle, "devlink port");
            }
        }
    if (f.ovs.known)
        for (const [br, ports] of Object.entries(f.ovs.value.bridges)) {
            valid(BridgeName, br, "bridge");
            ports.forEach(p => valid(Netdev, p, "bridge port"));
        }
    if (f.managementInterfaces.known)
        f.managementInterfaces.value.forEach(i => valid(Netdev, i, "management interface"));
    if (f.kernel.known)
        valid(Word, f.kernel.value, "kernel");
    if (f.os.known)
        Object.values(f.os.value).forEach(v => valid(HostText, v, "os-release field"));
    if (f.firewall.known && f.firewall.value.running)
        for (const [v, what] of [[f.firewall.value.zone, "firewall zone"], [f.firewall.value.target, "firewall target"]] as const)
            valid(Word, v, what);
    if (f.firewall.known && f.firewall.value.ingress !== null)
        valid(Netdev, f.firewall.value.ingress, "firewall ingress");
}

/* the twin: the same facts with the names the scripts use replaced by plain tokens */
const TOK = { hostname: "vfmtokhost", netdev: "vfmtoknet", bridge: "vfmtokbr" };

function twin(f: HostFacts, o: PrepareOptions): { facts: HostFacts; options: PrepareOptions } {
    const nics = f.nics.known ? { ...f.nics, value: f.nics.value.map(n => ({ ...n, netdev: n.netdev === null ? null : TOK.netdev })) } : f.nics;
    return { facts: { ...f, hostname: f.hostname === null ? null : TOK.hostname, nics }, options: { ...o, bridge: TOK.bridge } };
}

/**
 * The actual text is the twin's with each token replaced by the value: its quoted word in code (as quoteArgv writes it
 * in command position or after it: `if` is quoted only as a command), its comment-safe form in comment lines.
 */
function sameAsTwin(actual: string, twinText: string, f: HostFacts, o: PrepareOptions): void {
    const nic = f.nics.known ? f.nics.value.find(n => n.netdev !== null) : undefined;
    const values: Record<string, string> = { [TOK.hostname]: f.hostname ?? "", [TOK.netdev]: nic?.netdev ?? "", [TOK.bridge]: o.bridge };
    const parts = twinText.split(new RegExp(`(${Object.keys(values).join("|")})`));
    let [pos, twinPos] = [0, 0];
    const ok = parts.every((part, i) => {
        if (i % 2 === 0) {
            twinPos += part.length;
            const same = actual.startsWith(part, pos);
            pos += part.length;
            return same;
        }
        const v = values[part];
        const lineStart = twinText.lastIndexOf("\n", twinPos) + 1;
        twinPos += part.length;
        const forms = /^\s*#/.test(twinText.slice(lineStart, lineStart + 40)) ? [commentSafe(v)] : [shWord(v), quoteArgv(["x", v]).slice(2)];
        const form = forms.find(x => actual.startsWith(x, pos));
        pos += form?.length ?? 0;
        return form !== undefined;
    }) && pos === actual.length;
    if (!ok)
        expect(actual).toBe(twinText); // shows where they differ
}

const sourceFacts = buildFacts({ host: "192.0.2.1", items, records: records({ ...BENIGN, hostname: "rhel-src.example.test\n" }) });

interface Sample { shell: string; twinShell: string; ansible: string; twinAnsible: string; f: HostFacts; o: PrepareOptions }

const counts = { factSets: 0, rendered: 0, refused: 0, bash: 0, pyyaml: 0, yaml: 0 };
const samples: Sample[] = [];

/** The hostile host alone, or with a benign other host in the same file ("Both hosts"). */
function hostsOf(f: HostFacts, o: PrepareOptions, role: "source" | "destination", both: boolean): ExportHost[] {
    const other: ExportHost["role"] = role === "source" ? "destination" : "source";
    const list: ExportHost[] = [
        { role, ctx: contextFromFacts(role, f, o, []) },
        ...(both ? [{ role: other, ctx: contextFromFacts(other, sourceFacts, { ...DEFAULT_OPTIONS, protocol: o.protocol }, []) }] : []),
    ];
    return role === "source" ? list : list.reverse();
}

/*
 * The twin's renders, by what the step scripts read of the facts and options (a render depending on anything else
 * would differ from its twin and fail the comparison, never pass it).
 */
const twins = new Map<string, { shell: string; ansible: string }>();
function twinRender(f: HostFacts, o: PrepareOptions, role: "source" | "destination", both: boolean): { shell: string; ansible: string } {
    const t = twin(f, o);
    const key = JSON.stringify([role, both, t.options, t.facts.host, t.facts.hostname, contextFromFacts(role, t.facts, t.options, []).pf,
        t.facts.nics.known && t.facts.nics.value.map(n => [n.pci, n.netdev, n.totalVfs]), t.facts.cpuVendor.known && t.facts.cpuVendor.value,
        // the source's address, the firewall's zone and libvirt's daemon mode are written into the destination's steps
        t.facts.sshPeer.known && t.facts.sshPeer.value, t.facts.firewall.known && t.facts.firewall.value.running && t.facts.firewall.value.zone,
        t.facts.units.known && t.facts.units.value]);
    let r = twins.get(key);
    if (!r) {
        const hosts = hostsOf(t.facts, t.options, role, both);
        r = { shell: exportShell(hosts), ansible: exportAnsible(hosts) };
        twins.set(key, r);
    }
    return r;
}

/** Ansible's !unsafe: the text marked so that a comparison can tell it from templated text. */
const UNSAFE = [{ tag: "!unsafe", resolve: (s: string) => ({ unsafe: s }) }];
const JINJA = /\{\{|\{%|\{#/;

function jinjaOutsideUnsafe(node: unknown, path = ""): string[] {
    if (typeof node === "string")
        return JINJA.test(node) ? [path] : [];
    if (node && typeof node === "object" && !("unsafe" in node))
        return Object.entries(node).flatMap(([k, v]) => [...(JINJA.test(k) ? [`${path}/${k}`] : []), ...jinjaOutsideUnsafe(v, `${path}/${k}`)]);
    return [];
}

function checkOne(x: { mutations: Mutation[]; role: "source" | "destination"; options: PrepareOptions }): void {
    counts.factSets++;
    const out = { ...BENIGN };
    for (const m of x.mutations)
        out[m.key] = mutate(out[m.key] ?? "", m);
    const f = buildFacts({ host: "192.0.2.7", items, records: records(out) });
    assertValidFacts(f);

    let shell: string, ansible: string;
    const both = counts.factSets % BOTH_EVERY === 0;
    try {
        shell = exportShell(hostsOf(f, x.options, x.role, both));
        ansible = exportAnsible(hostsOf(f, x.options, x.role, both));
    } catch (e) {
        if (!(e instanceof ValueError))
            throw e;
        counts.refused++;
        return;
    }
    counts.rendered++;
    const { shell: twinShell, ansible: twinAnsible } = twinRender(f, x.options, x.role, both);
    sameAsTwin(shell, twinShell, f, x.options);
    sameAsTwin(ansible, twinAnsible, f, x.options);
    if (counts.rendered % YAML_EVERY === 0) {
        counts.yaml++;
        const plays = parseYaml(ansible, { customTags: UNSAFE }) as { hosts: string; tasks: { name: string }[] }[];
        const twinPlays = parseYaml(twinAnsible, { customTags: UNSAFE }) as typeof plays;
        expect(plays.map(p => [p.hosts, p.tasks.map(t => t.name)])).toEqual(twinPlays.map(p => [p.hosts, p.tasks.map(t => t.name)]));
        expect(jinjaOutsideUnsafe(plays)).toEqual(jinjaOutsideUnsafe(twinPlays));
    }
    if (counts.rendered % BASH_EVERY === 0)
        samples.push({ shell, twinShell, ansible, twinAnsible, f, o: x.options });
}

/** bash's own parse of each script (as one function body), printed back by declare -f. */
function bashParse(scripts: string[]): string[] {
    const body = scripts.map((s, i) => `vfm_whole_${i}() {\n${s}\n}\ndeclare -f vfm_whole_${i}\nprintf '\\0'\n`).join("");
    const r = spawnSync("/bin/bash", ["--norc", "--noprofile"], { input: body, encoding: "utf8", maxBuffer: 1 << 30 });
    expect(r.stderr).toBe("");
    return r.stdout.split("\0").slice(0, scripts.length).map(s => s.replace(/^\nvfm_whole_\d+ \(\)|^vfm_whole_\d+ \(\)/, ""));
}

/** PyYAML, Ansible's parser, with !unsafe kept apart. */
function pyyaml(docs: string[]): unknown[] {
    const py = "import json, sys, yaml\nclass L(yaml.SafeLoader): pass\n" +
        "L.add_constructor('!unsafe', lambda l, n: {'unsafe': l.construct_scalar(n)})\n" +
        "print(json.dumps([yaml.load(d, Loader=L) for d in json.load(sys.stdin)]))";
    const r = spawnSync("/usr/bin/python3", ["-c", py], { input: JSON.stringify(docs), encoding: "utf8", maxBuffer: 1 << 30 });
    expect(r.stderr).toBe("");
    return JSON.parse(r.stdout) as unknown[];
}

/** The parsed playbook with each !unsafe text taken out (into `texts`), for comparing the rest as is. */
function withoutUnsafe(n: unknown, texts: string[]): unknown {
    if (n && typeof n === "object" && "unsafe" in n)
        return { unsafe: texts.push((n as { unsafe: string }).unsafe) };
    if (Array.isArray(n))
        return n.map(x => withoutUnsafe(x, texts));
    if (n && typeof n === "object")
        return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, withoutUnsafe(v, texts)]));
    return n;
}

describe("exports from hostile facts", () => {
    test(`${FACT_SETS} hostile fact sets: valid facts, and exports that are the twin's with values quoted, or a ValueError`, () => {
        fc.assert(fc.property(factSet, checkOne), { numRuns: FACT_SETS });
        expect(counts.factSets).toBe(FACT_SETS);
        // the property is not vacuous: most fact sets render
        expect(counts.rendered).toBeGreaterThan(FACT_SETS / 3);
    });

    test("a sample parses in real bash to the twin's structure", () => {
        for (let i = 0; i < samples.length; i += 50) {
            const batch = samples.slice(i, i + 50);
            const parsed = bashParse(batch.flatMap(s => [s.shell, s.twinShell]));
            batch.forEach((s, j) => {
                sameAsTwin(parsed[2 * j], parsed[2 * j + 1], s.f, s.o);
                counts.bash++;
            });
        }
        expect(counts.bash).toBe(samples.length);
    });

    test("a sample parses in PyYAML to exactly the twin's plays and tasks, Jinja only where the template has it", () => {
        for (let i = 0; i < samples.length; i += 100) {
            const batch = samples.slice(i, i + 100);
            const parsed = pyyaml(batch.flatMap(s => [s.ansible, s.twinAnsible]));
            batch.forEach((s, j) => {
                const [texts, twinTexts]: string[][] = [[], []];
                expect(withoutUnsafe(parsed[2 * j], texts)).toEqual(withoutUnsafe(parsed[2 * j + 1], twinTexts));
                texts.forEach((t, k) => sameAsTwin(t, twinTexts[k], s.f, s.o));
                expect(jinjaOutsideUnsafe(parsed[2 * j])).toEqual(jinjaOutsideUnsafe(parsed[2 * j + 1]));
                counts.pyyaml++;
            });
        }
    });
});

afterAll(() => {
    const line = `hostile fact sets: ${counts.factSets}, exports rendered: ${counts.rendered}, refused (ValueError): ${counts.refused}, ` +
        `checked by real bash: ${counts.bash}, by PyYAML: ${counts.pyyaml}, by the yaml package: ${counts.yaml}`;
    console.log(line);
    const file = process.env.PROPERTY_COUNT_FILE;
    if (file)
        fs.appendFileSync(file, `${expect.getState().testPath ?? "?"} ${counts.factSets} (${line})\n`);
});
