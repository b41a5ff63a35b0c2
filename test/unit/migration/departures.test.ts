/* departed.json read back as host data: what the page wrote comes back; anything else is refused with what is wrong. */
import { DEPARTURES_MAX, type Departure, parseDepartures, serializeDepartures, withDeparture } from "../../../src/migration/departures";
import { bringBackUrl, departureLogin, evacuateBackUrl } from "../../../src/session/departures";
import { installFakeCockpit } from "../fake-cockpit";

beforeAll(() => { installFakeCockpit() });

const gone = (vm: string, at = 1_700_000_000_000): Departure =>
    ({ vm, to: { host: "rhel-dst.example.test", user: "root", port: 22 }, vf: "0000:c1:00.1", at, ended: true });
const file = (departed: unknown[], version: unknown = 1) => JSON.stringify({ version, departed });

test("what the page writes reads back the same, capped to the newest entries", () => {
    const list = [gone("web"), { ...gone("db"), vf: null, to: { host: "2001:db8::2", user: "admin", port: 2222 } }, { ...gone("mail"), ended: false },
                  { ...gone("app"), reach: { address: "198.51.100.11", answered: false, at: 1_700_000_000_000 } }];
    expect(parseDepartures(serializeDepartures(list))).toEqual(list);
    let many: Departure[] = [];
    for (let i = 0; i < DEPARTURES_MAX + 5; i++)
        many = withDeparture(many, gone(`vm${i}`, i));
    expect(many).toHaveLength(DEPARTURES_MAX);
    expect(many[0].vm).toBe(`vm${DEPARTURES_MAX + 4}`);
});

test.each([
    ["not JSON", "{ half", /departed.json is not JSON/],
    ["another file", file([], 2), /not a list of departed VMs written by this page/],
    ["a VM name in option position", file([{ ...gone("x"), vm: "--all" }]), /entry 1: VM name “--all” cannot start with '-'/],
    ["a host that is a shell word", file([{ ...gone("x"), to: { host: "evil;rm", user: "root", port: 22 } }]), /entry 1: Host “evil;rm” is not a host name/],
    ["a port out of range", file([gone("a"), { ...gone("x"), to: { host: "h", user: "root", port: 70000 } }]), /entry 2: Port number “70000”/],
    ["a VF that is not a PCI address", file([{ ...gone("x"), vf: "../../sys" }]), /entry 1: .*“\.\.\/\.\.\/sys”/],
    ["a time that is not one", file([{ ...gone("x"), at: "yesterday" }]), /entry 1: the time yesterday is not a number of milliseconds/],
    ["an end that is neither true nor false", file([{ ...gone("x"), ended: "yes" }]), /entry 1: “ended” is yes, not true or false/],
    ["a guest address that is not one", file([{ ...gone("x"), reach: { address: "-c 1 evil", answered: true, at: 1_700_000_000_000 } }]), /entry 1: Address “-c 1 evil” is not an IPv4 address/],
    ["a ping answer that is neither true nor false", file([{ ...gone("x"), reach: { address: "198.51.100.11", answered: 1, at: 5 } }]), /entry 1: “answered” is 1, not true or false/],
    ["a ping without its time", file([{ ...gone("x"), reach: { address: "198.51.100.11", answered: true } }]), /entry 1: the time undefined is not a number of milliseconds/],
])("refused: %s", (_what, text, message) => {
    expect(() => parseDepartures(text)).toThrow(message);
});

test("a file written before the page noted migrations as they start holds ended ones only", () => {
    const old: Partial<Departure> = gone("web");
    delete old.ended;
    expect(parseDepartures(file([old]))).toEqual([gone("web")]);
});

test("the way back: the wizard on the host the VM went to, with the VM and this host chosen, each value encoded", () => {
    expect(bringBackUrl(gone("web"), "rhel-src.example.test"))
        .toBe("https://rhel-dst.example.test:9090/vf-migration#/migrate?vm=web&destination=rhel-src.example.test");
    const v6 = { ...gone("my vm&co"), to: { host: "2001:db8::2", user: "root", port: 22 } };
    expect(bringBackUrl(v6, "rhel-src")).toBe("https://[2001:db8::2]:9090/vf-migration#/migrate?vm=my%20vm%26co&destination=rhel-src");
});

test("where a VM went is named as the command log names hosts: an IPv6 address in brackets, the port off 22", () => {
    expect(departureLogin(gone("web"))).toBe("root@rhel-dst.example.test");
    expect(departureLogin({ ...gone("web"), to: { host: "2001:db8::2", user: "admin", port: 2222 } })).toBe("admin@[2001:db8::2]:2222");
});

test("the way back of an evacuation names these VMs, and keeps the choice to move those without a VF", () => {
    expect(evacuateBackUrl("rhel-dst.example.test", "rhel-src.example.test", ["g1", "g 2"]))
        .toBe("https://rhel-dst.example.test:9090/vf-migration#/evacuate?destination=rhel-src.example.test&vms=g1%2Cg%202");
    expect(evacuateBackUrl("rhel-dst.example.test", "rhel-src.example.test", ["g1"], true))
        .toBe("https://rhel-dst.example.test:9090/vf-migration#/evacuate?destination=rhel-src.example.test&vms=g1&plain=1");
});
