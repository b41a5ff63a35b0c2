/**
 * @jest-environment jsdom
 *
 * The wizard's first contact with the destination, without React: it answers (and is remembered), it fails (in
 * SSH's words), its host key is unknown (offered, trusted, then tried again; or declined), or the admin typed
 * another destination meanwhile (the old answer is dropped).
 */
import type { HostKeyOffer } from "../../../src/host/ssh-argv";
import { TransportError, type CommandResult } from "../../../src/host/transport";
import { DestinationContact } from "../../../src/session/destination-contact";
import { destinationFrom, savedDestination } from "../../../src/session/hosts";
import { installFakeCockpit } from "../fake-cockpit";

beforeAll(() => { installFakeCockpit() });
beforeEach(() => localStorage.clear());
afterEach(() => jest.restoreAllMocks());

const HOST = "rhel-dst.example.test";
const input = { host: HOST, user: "root", protocol: "ssh" as const };
const listed = (stdout: string) => ({ host: HOST, argv: [], stdout, stderr: "", exitStatus: 0, durationMs: 1, startedAt: 0, wire: [] }) as unknown as CommandResult;
const offer = { target: {}, keys: [], fingerprints: [{ type: "ED25519", sha256: "SHA256:abc" }], replaces: false } as unknown as HostKeyOffer;

test("the destination answers: how many VMs its libvirt defines, and it is remembered for next time", async () => {
    const d = destinationFrom(input);
    jest.spyOn(d.transport, "run").mockResolvedValue(listed("web\ndb\n\n"));
    const c = new DestinationContact();
    const done = c.check(input);
    expect(c.state.contact).toEqual({ status: "checking", key: `root@${HOST}` });
    await done;
    expect(c.state).toEqual({ contact: { status: "ok", vms: 2, key: `root@${HOST}` }, offer: null });
    expect(savedDestination()).toEqual({ ...input, port: "" });
});

test("the destination cannot be reached: SSH's message and its own words, nothing remembered", async () => {
    const d = destinationFrom(input);
    jest.spyOn(d.transport, "run").mockRejectedValue(new TransportError("unreachable", HOST, "The host does not answer", [], "ssh: No route to host"));
    const c = new DestinationContact();
    await c.check(input);
    expect(c.state.contact).toEqual({ status: "error", message: "The host does not answer", detail: "ssh: No route to host", key: `root@${HOST}` });
    expect(savedDestination().host).toBe("");
});

test("an unknown host key: offered; once trusted the destination is tried again; declined, no contact", async () => {
    const d = destinationFrom(input);
    const run = jest.spyOn(d.transport, "run").mockRejectedValueOnce(new TransportError("host-key-unknown", HOST, "unknown host key"));
    jest.spyOn(d.ssh, "offerHostKeys").mockResolvedValue(offer);
    const trust = jest.spyOn(d.ssh, "trustHostKeys").mockResolvedValue(listed(""));
    const c = new DestinationContact();
    await c.check(input);
    expect(c.state.offer).toEqual({ host: d.ssh.host, offer });
    expect(c.state.contact?.status).toBe("checking");
    await c.trustOffered();
    expect(trust).toHaveBeenCalledWith(offer);
    run.mockResolvedValue(listed("web\n"));
    await c.trusted();
    expect(c.state).toEqual({ contact: { status: "ok", vms: 1, key: `root@${HOST}` }, offer: null });

    run.mockRejectedValueOnce(new TransportError("host-key-unknown", HOST, "unknown host key"));
    await c.check(input);
    c.dismissOffer();
    expect(c.state).toEqual({ contact: null, offer: null });
    await expect(c.trustOffered()).rejects.toThrow(/no host key/);
});

test("a key changed since it was confirmed: offered as replacing the old one, in the wizard too", async () => {
    const d = destinationFrom(input);
    jest.spyOn(d.transport, "run").mockRejectedValueOnce(new TransportError("host-key-changed", HOST, "changed host key"));
    const offered = jest.spyOn(d.ssh, "offerHostKeys").mockResolvedValue({ ...offer, replaces: true });
    const c = new DestinationContact();
    await c.check(input);
    expect(offered).toHaveBeenCalledWith(true);
    expect(c.state.offer?.offer.replaces).toBe(true);
});

test("the admin types another destination while the first is checked: its answer is dropped, not remembered", async () => {
    const d = destinationFrom(input);
    let answer = (_r: CommandResult) => {};
    jest.spyOn(d.transport, "run").mockReturnValue(new Promise(resolve => { answer = resolve }));
    const c = new DestinationContact();
    const done = c.check(input);
    c.typing({ host: "other.example.test", user: "root" });
    answer(listed("web\n"));
    await done;
    expect(c.state.contact).toEqual({ status: "checking", key: `root@${HOST}` });
    expect(savedDestination().host).toBe("");
});

test("a destination that is not valid is never contacted", async () => {
    const c = new DestinationContact();
    await c.check({ host: "-oProxyCommand=sh", user: "root", protocol: "ssh" });
    expect(c.state.contact).toBeNull();
});

test("Cancel stops the contact under way: its command sees the abort, and no answer is shown, not even a late one", async () => {
    const d = destinationFrom(input);
    let seen: AbortSignal | undefined;
    jest.spyOn(d.transport, "run").mockImplementation((_argv, o) => new Promise((_resolve, reject) => {
        seen = o?.signal;
        o?.signal?.addEventListener("abort", () => reject(new TransportError("cancelled", HOST, "cancelled")));
    }));
    const c = new DestinationContact();
    const done = c.check(input);
    expect(c.state.contact?.status).toBe("checking");
    c.cancel();
    await done;
    expect(seen?.aborted).toBe(true);
    expect(c.state.contact).toBeNull();
    expect(savedDestination().host).toBe("");
});
