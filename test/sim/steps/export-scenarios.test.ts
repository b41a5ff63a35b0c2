/*
 * The exports against the page's own preparation, on a host of every named scenario (W4). On each host, from the
 * same loaded scenario:
 * - the page's run: read the host with the status page's probe, plan, run the next step as the preparation does
 *   (src/session/preparation.ts: the next step whose predecessors are settled, else the reboot or firmware reset),
 *   read again; it stops at a guard, at a reboot, at a step that ran and still reads as not done, or when nothing
 *   is needed;
 * - the shell script made from the first reading, run as an admin runs it: as root on the host, over SSH from the
 *   source for the destination (so its management guard sees that session, as the page's does);
 * - the playbook made from the same reading, run from the source (locally there, over SSH to the destination).
 * Each export must stop the same way at the same step, after the same steps, and leave the host reading as the
 * page left it; on a host the page calls ready, it runs nothing and the host reads as before. Before a reboot, the
 * page also runs the steps that can run first and the exports leave them for their next run: there, the steps are
 * compared up to the reboot and the readings are not.
 */
import "./setup";
import fs from "fs";
import path from "path";
import { DEFAULT_OPTIONS, STEPS, contextFromFacts, exportAnsible, exportShell, planHost, runStep, type PrepareOptions, type StepContext } from "../../../src/steps";
import { stepsFor } from "../../../src/steps/export-shell";
import { nextAction, nextStep } from "../../../src/session/preparation-plan";
import { SIMHOST, hostPath, requirePair, scenarioOf, simhost, type Host } from "../pair/pair";
import { type HostRead, SimTransport, exec, pageExec, readHost, runningVms } from "./simhost";

const NAMED = fs.readdirSync(path.join(SIMHOST, "scenarios"))
    .filter(f => f.endsWith(".json") && f !== "schema.json").map(f => f.slice(0, -".json".length)).sort();

/*
 * The host each scenario is about: both for fresh-pair, ethernet-only and ready-pair; the destination for the
 * evacuation scenarios (its free VFs are what they add; their sources, ready with more VFs in use, are not compared).
 * Not compared: the destination that does not answer on the network (the page never prepares it: it cannot reach
 * it), and the source whose port runs InfiniBand (no Ethernet interface yet for the exports to name: its own test
 * below), where the ready destination is compared instead.
 */
const HOSTS: Record<string, Host[]> = {
    "amd-iommu-off": ["source"], "dest-mgmt-over-pf": ["destination"], "dest-no-free-vf": ["destination"],
    "dest-unreachable": ["source"], "dual-port": ["source"], "ethernet-only": ["source", "destination"],
    "evacuate-five": ["destination"],
    "evacuate-pair": ["destination"], "fresh-pair": ["source", "destination"], "ib-link-type": ["destination"],
    "mgmt-over-pf": ["source"], "nm-profiles": ["source", "destination"], "no-iommu-firmware": ["source"], "old-firmware": ["source"], "pending-reboot": ["source"],
    "ready-pair": ["source", "destination"],
};

/* Reads that change with no change to the host: the SSH session's ports, the probe's own connections. */
const VOLATILE = new Set(["ssh-connection", "mgmt-routes"]);

/*
 * What differs between two hosts in the same state: interface indexes, the MAC addresses the kernel makes up for new
 * VFs, and IPv6 duplicate address detection still under way on a new link.
 */
const settled = (text: string) => text.replace(/^\d+: /gm, "N: ").replace(/@if\d+/g, "@ifN")
    .replace(/\b[0-9a-f]{2}(:[0-9a-f]{2}){5}\b/g, "MAC").replace(/ tentative\b/g, "");

/** The host as a read found it: every probe item's output and exit status. */
const readingOf = ({ items, records }: HostRead): Record<string, string> => Object.fromEntries(items.flatMap((it, i) =>
    (VOLATILE.has(it.key) ? [] : [[it.key, (it.key === "ovs-show" ? portsSorted : String)(settled(`${records[i].exitStatus}\n${records[i].stdout}${records[i].stderr}`))]])));
const reading = (host: Host) => readingOf(readHost(host));

/* nm-profiles is prepared with "Keep across reboots": stored on the source's saved profile, left undone on the destination's PF, which has none */
const OPTIONS: Record<string, Partial<PrepareOptions>> = { "nm-profiles": { persist: true } };
let options: PrepareOptions = DEFAULT_OPTIONS;
const ctxOf = (host: Host, read = readHost(host)) => contextFromFacts(host, read.facts, options, runningVms(host));
const titleToId = new Map(STEPS.map(s => [s.title, s.id]));

type Stop = "done" | "reboot" | "refused" | "failed";

/**
 * From the host's first read; each later step decided on a new one. `last`: the read the run stopped on, when no
 * step ran after it (the host as the page left it).
 */
async function pageRun(host: Host, first: HostRead): Promise<{ ran: string[]; stop: Stop; at?: string; last?: HostRead }> {
    const t = new SimTransport(host, host === "destination" ? scenarioOf(host).hostname : host, true);
    const ran: string[] = [];
    for (let i = 0; i < 30; i++) {
        const last = i === 0 ? first : readHost(host);
        const ctx = ctxOf(host, last);
        const plan = planHost(ctx);
        const next = nextStep(plan) ?? nextAction(plan);
        if (!next)
            return { ran, stop: "done", last };
        // as the preparation: it ran without error, yet the host does not show it done
        if (next.step.id === ran[ran.length - 1])
            return { ran, stop: "failed", at: next.step.id, last };
        if (next.guard)
            return { ran, stop: "refused", at: next.step.id, last };
        if (next.step.action === "reboot")
            return { ran, stop: "reboot", at: next.step.id, last };
        const run = await runStep(t, next.step, ctx);
        ran.push(next.step.id);
        if (!run.ok)
            return { ran, stop: "failed", at: next.step.id };
    }
    throw new Error(`the page's run did not settle in 30 steps: ${ran.join(" ")}`);
}

/** The step of a script line ("run     TITLE", "ok      TITLE", "skipped TITLE: WHY"). */
const idOf = (line: string) => {
    const title = line.replace(/^\S+\s+/, "").trim();
    const id = titleToId.get(title) ?? titleToId.get(title.split(": ")[0]);
    if (!id)
        throw new Error(`a step the page does not have: ${line}`);
    return id;
};

/** What an export did: the steps it ran, where and how it stopped, every step it reached, and the steps it has. */
interface ExportRun { ran: string[]; stop: Stop; at?: string; reached: string[]; steps: string[]; out: string }

function scriptRun(host: Host, ctx: StepContext): ExportRun {
    const script = exportShell([{ role: host, ctx }]);
    // stderr into stdout, so that a refusal shows where it came
    const r = pageExec(host, ["/bin/bash", "-c", "exec /bin/bash -s 2>&1"], script);
    const lines = r.stdout.split("\n");
    const stop: Stop = ({ 0: "done", 3: "reboot", 4: "refused" } as Record<number, Stop>)[r.exitStatus] ?? "failed";
    // a guard inside a step refuses after the step's "run" line: that step did not run; the reboot's own guard
    // refuses before any line of its own, and says so
    const refusal = lines.findIndex(l => l.startsWith("REFUSED: "));
    const rebootRefused = refusal >= 0 && lines[refusal].includes("a reboot would stop them");
    const steps = lines.filter(l => /^(run|ok|skipped) /.test(l));
    const last = steps[steps.length - 1];
    const inStep = refusal > 0 && !rebootRefused && lines[refusal - 1].startsWith("run ");
    const ran = lines.filter((l, i) => l.startsWith("run ") && !(inStep && i === refusal - 1)).map(idOf);
    const at = stop === "reboot" || rebootRefused ? "reboot" : stop === "done" ? undefined : last && idOf(last);
    return { ran, stop, at, reached: steps.map(idOf), steps: stepsFor(ctx).map(st => st.id), out: `exit ${r.exitStatus}\n${r.stdout}` };
}

const PLAYBOOK_DIR = "/tmp/vfm-ansible-scenarios";

/*
 * The playbook made from the same reading, run from the source as a control node would: on the source itself, on
 * the destination over SSH. A task that ran reports "changed"; a refusal fails its task with the script's words.
 */
function playbookRun(host: Host, ctx: StepContext): ExportRun {
    const dir = hostPath("source", PLAYBOOK_DIR);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "prepare.yml"), exportAnsible([{ role: host, ctx }]));
    const target = host === "source" ? "localhost ansible_connection=local"
        : `${scenarioOf(host).hostname} ansible_user=root ansible_ssh_common_args='-o UserKnownHostsFile=/dev/null'`;
    fs.writeFileSync(path.join(dir, "inventory"), `[vf_migration_${host === "source" ? "sources" : "destinations"}]\n` +
        `${target} ansible_become=false ansible_python_interpreter=/usr/bin/python3\n`);
    const r = exec("source", ["/usr/bin/env", "ANSIBLE_NOCOLOR=1", "ANSIBLE_HOST_KEY_CHECKING=0", "ANSIBLE_RETRY_FILES_ENABLED=0",
        "/usr/bin/ansible-playbook", "-i", `${PLAYBOOK_DIR}/inventory`, `${PLAYBOOK_DIR}/prepare.yml`], "", 600_000);
    const tasks = r.stdout.split(/^TASK \[/m).slice(1).map(t => ({ name: t.slice(0, t.indexOf("]")), result: t.split("\n").find(l => /^(ok|changed|fatal|skipping): /.test(l)) ?? "" }));
    const stepId = (name: string) => {
        const m = /^\d+\. (.*?)(: is one needed\?|: stop until it is done)?$/.exec(name);
        return m ? idOf(`run ${m[1]}`) : undefined;
    };
    // the helper tasks (the functions' file) are not steps
    const stepTasks = tasks.map(t => ({ ...t, id: stepId(t.name) })).filter(t => t.id !== undefined);
    const ran = stepTasks.filter(t => t.result.startsWith("changed: ")).map(t => t.id as string);
    const fatal = tasks.find(t => t.result.startsWith("fatal: "));
    const stop: Stop = !fatal ? (r.exitStatus === 0 ? "done" : "failed")
        : fatal.name.endsWith(": stop until it is done") ? "reboot"
        : r.stdout.includes("REFUSED: ") ? "refused" : "failed";
    // a play that matched no host, or output read wrong, would look like a ready host: the recap must name it
    if (!/^PLAY RECAP \*+\n\S+\s+: ok=\d+/m.test(r.stdout))
        throw new Error(`the playbook ran on no host:\n${r.stdout}${r.stderr}`);
    return { ran, stop, at: fatal && stepId(fatal.name), reached: [...new Set(stepTasks.filter(t => t.result).map(t => t.id as string))],
        steps: stepsFor(ctx).map(st => st.id), out: `exit ${r.exitStatus}\n${r.stdout}` };
}

/* Port blocks of a bridge in `ovs-vsctl show` come in the order of their database UUIDs, new at each run. */
function portsSorted(show: string): string {
    return show.replace(/((?:^ {8}Port .*\n(?: {12,}.*\n)*)+)/gm, block =>
        block.split(/(?=^ {8}Port )/m).sort().join(""));
}

const cases = NAMED.flatMap(s => (HOSTS[s] ?? []).map(h => [s, h] as const));

describe("the exported script and playbook change what the page's preparation changes, on every named scenario", () => {
    beforeAll(() => requirePair());

    test("every named scenario has its host here", () => {
        expect(Object.keys(HOSTS).sort()).toEqual(NAMED);
    });
    afterAll(() => {
        fs.rmSync(hostPath("source", PLAYBOOK_DIR), { recursive: true, force: true });
        simhost("load", "ready-pair");
    });

    test("a port that runs InfiniBand: the script is not made, and the admin is told why", () => {
        options = DEFAULT_OPTIONS;
        simhost("load", "ib-link-type");
        const ctx = ctxOf("source");
        expect(() => exportShell([{ role: "source", ctx }]))
            .toThrow(`The adapter ${ctx.pf} shows no network interface (or it could not be read), and the steps that use it need its name.`);
    });

    test.each(cases)("%s, %s", async (scenario, host) => {
        options = { ...DEFAULT_OPTIONS, ...OPTIONS[scenario] };
        simhost("load", scenario);
        const first = readHost(host);
        const before = readingOf(first);
        // the exports are made from that first read, as the admin exports them from the status page
        const ctx = ctxOf(host, first);
        const page = await pageRun(host, first);
        const byPage = page.last ? readingOf(page.last) : reading(host);

        for (const run of [scriptRun, playbookRun]) {
            simhost("load", scenario);
            const by = run(host, ctx);
            const after = reading(host);
            // the page runs every step it can before the reboot; the exports stop at the reboot in their order and
            // leave the rest for their next run. Anywhere else they stop where the page stops, after the same steps.
            // (The export's output is on both sides only to be printed when they differ.)
            const order = (id: string) => STEPS.findIndex(s => s.id === id);
            const expected = page.at === "reboot" ? page.ran.filter(id => order(id) < order("reboot")) : page.ran;
            expect({ stop: by.stop, at: by.at, ran: by.ran, out: by.out }).toEqual({ stop: page.stop, at: page.at, ran: expected, out: by.out });
            // a run that ends "done" went through every step it has (an output read wrong would look like a ready host)
            if (by.stop === "done")
                expect(by.reached).toEqual(by.steps);
            if (page.ran.length === 0)
                expect(after).toEqual(before);
            if (expected.length === page.ran.length)
                expect(after).toEqual(byPage);
        }
    });
});
