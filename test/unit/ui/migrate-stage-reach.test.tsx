/**
 * @jest-environment jsdom
 */
/*
 * The guest's address pinged from this host before the migration (src/ui/wizard/MigrateStageReach.tsx): the stage
 * waits while a ping runs; an address typed but not pinged, an answer grown old, a ping that could not run are said
 * under the field, and only a fresh answer for the address in the field goes to the call.
 */
import { act } from "react";
import { MigrateStageReach } from "../../../src/ui/wizard/MigrateStageReach";
import type { ReachBefore } from "../../../src/migration/guest-reach";
import { rootPerTest, settle } from "./dom-root";

const pings: { address: string; resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
jest.mock("../../../src/session/guest-reach", () => ({
    REACH_FRESH_MS: 5 * 60_000,
    pingGuestHere: (address: string) => new Promise((resolve, reject) => pings.push({ address, resolve, reject })),
}));

const dom = rootPerTest();
const answered = (address: string, at = Date.now()) => ({
    address, at, reach: { address, answered: true, at },
    finding: { id: "guest-reach-before", title: "The guest answers on its VF's network here", verdict: "pass", summary: `The guest at ${address} answers ping from this host`, evidence: [], details: [] },
});

function render() {
    const seen: { reach: ReachBefore | null; busy: boolean } = { reach: null, busy: false };
    act(() => dom.root.render(<MigrateStageReach disabled={false} onReach={r => { seen.reach = r }} onBusy={b => { seen.busy = b }} />));
    const field = dom.container.querySelector<HTMLInputElement>("#vfm-migrate-guest-address");
    const type = (v: string) => act(() => {
        const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")?.set;
        set?.call(field, v);
        field?.dispatchEvent(new Event("input", { bubbles: true }));
    });
    const help = () => dom.container.querySelector("#vfm-migrate-guest-address-help")?.textContent ?? "";
    const ping = () => act(() => { (dom.container.querySelector("#vfm-migrate-ping") as HTMLButtonElement).click() });
    return { seen, type, help, ping };
}

beforeEach(() => { pings.length = 0 });

test("typed, not pinged: said; pinging: busy; answered: kept for the call, and shown", async () => {
    const v = render();
    v.type("198.51.100.11");
    expect(v.help()).toMatch(/^Not pinged yet/);
    v.ping();
    expect(v.seen.busy).toBe(true);
    expect(pings.map(p => p.address)).toEqual(["198.51.100.11"]);
    await act(async () => pings[0].resolve(answered("198.51.100.11")));
    await settle();
    expect(v.seen).toMatchObject({ busy: false, reach: { address: "198.51.100.11", answered: true } });
    expect(dom.container.querySelector("#vfm-migrate-reach")?.getAttribute("data-verdict")).toBe("pass");
    // another address: the answer is not about it
    v.type("198.51.100.12");
    expect(v.seen.reach).toBeNull();
    expect(v.help()).toMatch(/^Not pinged yet/);
});

test("a ping that could not run: its error for its own address only; an answer minutes old: not kept, said", async () => {
    const v = render();
    v.type("198.51.100.11");
    v.ping();
    await act(async () => pings[0].reject(new Error("connection to the host lost")));
    await settle();
    expect(v.help()).toMatch(/^connection to the host lost/);
    v.type("198.51.100.12");
    expect(v.help()).toMatch(/^Not pinged yet/);
    v.ping();
    await act(async () => pings[1].resolve(answered("198.51.100.12", Date.now() - 5 * 60_000 - 1)));
    await settle();
    expect(v.seen.reach).toBeNull();
    expect(v.help()).toMatch(/^This answer is more than 5 minutes old/);
});
