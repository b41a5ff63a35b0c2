/**
 * @jest-environment jsdom
 */
/* What the page keeps in the browser belongs to the host whose page saved it (Cockpit's host switcher shares one origin). */
import { FakeCockpit, installFakeCockpit } from "../fake-cockpit";
import { restore, save } from "../../../src/session/saved";
import { saveDestination, savedDestination } from "../../../src/session/hosts";

let fake: FakeCockpit;
beforeEach(() => { fake = installFakeCockpit(); localStorage.clear() });
const asIs = (v: unknown) => v as { stage: string };

test("a value saved on this host's page comes back here; on another host's page it is not restored, and that host is named", () => {
    save("k", { stage: "verify" });
    expect(restore("k", asIs)).toEqual({ value: { stage: "verify" }, foreign: null });
    fake.transport.host = "rhel-dst.example.test";
    expect(restore("k", asIs)).toEqual({ value: null, foreign: "localhost" });
});

test("a value saved before values named their host counts as this host's; unreadable or refused values are nothing", () => {
    localStorage.setItem("k", JSON.stringify({ stage: "checks" }));
    expect(restore("k", asIs).value).toEqual({ stage: "checks" });
    localStorage.setItem("k", "{ not json");
    expect(restore("k", asIs)).toEqual({ value: null, foreign: null });
    save("k", { stage: "nowhere" });
    expect(restore("k", () => null)).toEqual({ value: null, foreign: null });
});

test("the destination chosen on one host's page is not offered as the destination on another host's page", () => {
    saveDestination({ host: "rhel-dst.example.test", user: "root", port: "", protocol: "ssh" });
    expect(savedDestination().host).toBe("rhel-dst.example.test");
    fake.transport.host = "rhel-dst.example.test";
    expect(savedDestination().host).toBe("");
});
