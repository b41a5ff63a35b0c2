/*
 * The guest pinged from this host before the migration (src/migration/guest-reach.ts): what the migration stage
 * shows, and what the departure note keeps for the verification (only an answer over a network this host is on).
 */
import { pingGuest, reachBefore, reachFinding } from "../../../src/migration/guest-reach";
import { reachToKeep } from "../../../src/session/guest-reach";
import { fakeTransport, type Answer } from "../session/fake-transport";

const ADDR = "198.51.100.11";
const PING = `ping -n -c 3 -i 0.2 -W 1 -- ${ADDR}`;
const ROUTE = `ip -j route get ${ADDR}`;
const DIRECT = { stdout: `[{"dst":"${ADDR}","dev":"br-vf","prefsrc":"198.51.100.1","flags":[],"uid":0,"cache":[]}]\n` };
const SUMMARY = (n: number) => `PING ${ADDR} (${ADDR}) 56(84) bytes of data.\n\n--- ${ADDR} ping statistics ---\n` +
    `3 packets transmitted, ${n} received, ${n ? 0 : 100}% packet loss, time 405ms\n`;

const ping = (answers: Record<string, Answer>) => pingGuest(fakeTransport("localhost", line => answers[line]), ADDR);

test("an answer over this host's bridge: passed, said what it is for, and kept for the verification", async () => {
    const p = await ping({ [ROUTE]: DIRECT, [PING]: { stdout: SUMMARY(3) } });
    expect(reachFinding(p)).toMatchObject({ verdict: "pass", summary: expect.stringMatching(/^The guest at 198.51.100.11 answers ping from this host: after the migration, the destination pings it too/) });
    expect(reachFinding(p).evidence.map(e => e.lines)).toEqual([["dev br-vf"], ["3 packets transmitted, 3 received, 0% packet loss, time 405ms"]]);
    expect(reachBefore(p)).toEqual({ address: ADDR, answered: true, at: p.at });
});

test("silence is a warning (the guest may drop ICMP echo) and kept as silence: after the migration it proves nothing", async () => {
    const p = await ping({ [ROUTE]: DIRECT, [PING]: { exit: 1, stdout: SUMMARY(0) } });
    expect(reachFinding(p).verdict).toBe("warn");
    expect(reachFinding(p).summary).toMatch(/does not answer ping from this host: it may drop ICMP echo/);
    expect(reachBefore(p)).toEqual({ address: ADDR, answered: false, at: p.at });
});

test("through a gateway, an address of this host, or a ping that cannot run: shown, never kept", async () => {
    const far = await ping({ [ROUTE]: { stdout: `[{"dst":"${ADDR}","gateway":"192.0.2.254","dev":"eno1","flags":[],"uid":0,"cache":[]}]\n` }, [PING]: { stdout: SUMMARY(3) } });
    expect(reachFinding(far)).toMatchObject({ verdict: "warn", summary: expect.stringContaining("through the gateway 192.0.2.254") });
    const local = await ping({ [ROUTE]: { stdout: `[{"type":"local","dst":"${ADDR}","dev":"lo","flags":[],"uid":0,"cache":["local"]}]\n` } });
    expect(reachFinding(local)).toMatchObject({ verdict: "warn", summary: "198.51.100.11 is an address of this host, not the guest's" });
    expect(local.evidence).toHaveLength(1);
    const cannot = await ping({ [ROUTE]: { exit: 2, stderr: "RTNETLINK answers: Network is unreachable\n" }, [PING]: { exit: 2, stderr: "ping: connect: Network is unreachable\n" } });
    expect(reachFinding(cannot)).toMatchObject({ verdict: "warn", summary: "Ping of 198.51.100.11 could not run on this host: ping: connect: Network is unreachable" });
    // an answer when ip could not say which way: whether it crossed a gateway is not known, so it is not kept
    const unsure = await ping({ [ROUTE]: { exit: 1, stderr: "RTNETLINK answers: Invalid argument\n" }, [PING]: { stdout: SUMMARY(3) } });
    expect(reachFinding(unsure)).toMatchObject({ verdict: "warn", summary: expect.stringContaining("could not tell which way") });
    expect([far, local, cannot, unsure].map(reachBefore)).toEqual([null, null, null, null]);
});

test("an answer minutes old is not one from right before the call: the migration keeps none", () => {
    const r = { address: ADDR, answered: true, at: 1_000_000 };
    expect(reachToKeep(r, r.at + 60_000)).toBe(r);
    expect(reachToKeep(r, r.at + 5 * 60_000)).toBeNull();
    expect(reachToKeep(null)).toBeNull();
});
