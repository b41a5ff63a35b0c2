/*
 * The exported playbook, run with Debian's ansible inside a freshly loaded fresh-pair destination (connection
 * local): it stops where a reboot is needed and says so, the host is rebooted as an admin would, the next run
 * brings it to ready, and the run after that reports changed=0.
 */
import "./setup";
import fs from "fs";
import { evaluateHost } from "../../../src/checks";
import { DEFAULT_OPTIONS, contextFromFacts, exportAnsible, neededSteps, planHost } from "../../../src/steps";
import { hostPath, requirePair, simhost } from "../pair/pair";
import { exec, gatherFacts, runningVms } from "./simhost";

const HOST = "destination" as const;
const DIR = "/tmp/vfm-ansible";

function playbook(): ReturnType<typeof exec> {
    return exec(HOST, ["/usr/bin/env", "ANSIBLE_NOCOLOR=1", "ANSIBLE_HOST_KEY_CHECKING=0", "ANSIBLE_RETRY_FILES_ENABLED=0",
        "/usr/bin/ansible-playbook", "-i", `${DIR}/inventory`, `${DIR}/prepare.yml`], "", 600_000);
}

const recap = (out: string) => /localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/.exec(out)?.slice(1).map(Number);

describe("the exported Ansible playbook", () => {
    beforeAll(() => {
        requirePair();
        simhost("load", "fresh-pair");
    });
    afterAll(() => {
        fs.rmSync(hostPath(HOST, DIR), { recursive: true, force: true });
        simhost("load", "ready-pair");
    });

    test("brings the destination to ready across a reboot; a second run reports changed=0", () => {
        const facts = gatherFacts(HOST);
        const ctx = contextFromFacts(HOST, facts, DEFAULT_OPTIONS, runningVms(HOST));
        fs.mkdirSync(hostPath(HOST, DIR), { recursive: true });
        fs.writeFileSync(hostPath(HOST, `${DIR}/prepare.yml`), exportAnsible([{ role: HOST, ctx }]));
        fs.writeFileSync(hostPath(HOST, `${DIR}/inventory`),
                         // already root inside the host, which has no sudo: no become
                         "[vf_migration_destinations]\nlocalhost ansible_connection=local ansible_become=false ansible_python_interpreter=/usr/bin/python3\n");

        const first = playbook();
        expect(first.stdout).toContain("reboot this host, then run this playbook again");
        expect(first.exitStatus).toBe(2);
        simhost("reboot", HOST);

        const second = playbook();
        expect({ status: second.exitStatus, recap: recap(second.stdout)?.slice(2) }).toEqual({ status: 0, recap: [0, 0] });
        expect(recap(second.stdout)?.[1]).toBeGreaterThan(0);
        const after = gatherFacts(HOST);
        expect(neededSteps(planHost(contextFromFacts(HOST, after, DEFAULT_OPTIONS, runningVms(HOST)))).map(p => p.step.id)).toEqual([]);
        expect(evaluateHost({ facts: after, role: HOST, protocol: "ssh" }).filter(c => !["pass", "warn"].includes(c.verdict))
            .map(c => `${c.id}: ${c.summary}`)).toEqual([]);

        const third = playbook();
        expect({ status: third.exitStatus, changed: recap(third.stdout)?.[1] }).toEqual({ status: 0, changed: 0 });
    });
});
