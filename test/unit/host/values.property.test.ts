import fc from "fast-check";
import { installFakeCockpit } from "../fake-cockpit";
import { inputs, property } from "./arbitraries";
import {
    Bandwidth, BridgeName, DevlinkPort, DriverName, Host, IpAddress, Mac, Netdev, PciAddress, Port, Result, SshUser,
    SysfsValue, ValueError, VmName, parseVfCount,
} from "../../../src/host/values";

beforeAll(() => { installFakeCockpit() });

interface Case {
    name: string;
    parse: (s: unknown) => Result<unknown>;
    valid: fc.Arbitrary<string>;
    canonical: RegExp;
    /** may hold inner spaces (VM names) */
    spaces?: boolean;
    /** goes on stdin, never into argv (sysfs values) */
    stdin?: boolean;
}

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-fA-F]{${n}}$`));
const pci = fc.tuple(hex(4), hex(2), fc.stringMatching(/^[01][0-9a-fA-F]$/), fc.integer({ min: 0, max: 7 })).map(([d, b, s, f]) => `${d}:${b}:${s}.${f}`);

const cases: Case[] = [
    { name: "PCI address", parse: PciAddress.parse, valid: pci, canonical: /^[0-9a-f]{4}:[0-9a-f]{2}:[01][0-9a-f]\.[0-7]$/ },
    { name: "devlink port", parse: DevlinkPort.parse, valid: fc.tuple(pci, fc.nat()).map(([p, n]) => `pci/${p}/${n}`), canonical: /^pci\/[0-9a-f]{4}:[0-9a-f]{2}:[01][0-9a-f]\.[0-7]\/(0|[1-9][0-9]*)$/ },
    { name: "host", parse: Host.parse, valid: fc.oneof(fc.domain(), fc.ipV4(), fc.ipV6()), canonical: /^([a-z0-9.-]+|[0-9a-f:.]+)$/ },
    { name: "IP address", parse: IpAddress.parse, valid: fc.oneof(fc.ipV4(), fc.ipV6()), canonical: /^([0-9.]+|[0-9a-f:.]+)$/ },
    { name: "SSH user", parse: SshUser.parse, valid: fc.stringMatching(/^[a-z_][a-z0-9_-]{0,10}$/), canonical: /^[A-Za-z_][A-Za-z0-9_.-]*$/ },
    { name: "port", parse: Port.parse, valid: fc.integer({ min: 0, max: 70000 }).map(String), canonical: /^[1-9][0-9]*$/ },
    { name: "MAC", parse: Mac.parse, valid: fc.array(hex(2), { minLength: 6, maxLength: 6 }).map(a => a.join(":")), canonical: /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/ },
    { name: "netdev", parse: Netdev.parse, valid: fc.stringMatching(/^[a-z][a-z0-9_.-]{0,16}$/), canonical: /^[^-/:\s][^/:\s]*$/u },
    { name: "bridge", parse: BridgeName.parse, valid: fc.stringMatching(/^br[a-z0-9_-]{0,14}$/), canonical: /^[^-/:\s][^/:\s]*$/u },
    { name: "driver", parse: DriverName.parse, valid: fc.constantFrom("mlx5_core", "mlx5_vfio_pci", "vfio-pci", "pci-stub"), canonical: /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/ },
    { name: "VM name", parse: VmName.parse, valid: fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }), canonical: /^[^-/\s][^/]*$/u, spaces: true },
    { name: "VF count", parse: s => parseVfCount(s, 16), valid: fc.integer({ min: -2, max: 20 }).map(String), canonical: /^([0-9]|1[0-6])$/ },
    { name: "bandwidth", parse: Bandwidth.parse, valid: fc.integer({ min: -5, max: 2_000_000 }).map(String), canonical: /^[1-9][0-9]*$/ },
    { name: "sysfs value", parse: SysfsValue.parse, valid: fc.stringMatching(/^[a-z0-9_]{0,10}$/), canonical: /^[^\n]*$/, spaces: true, stdin: true },
];

for (const c of cases) {
    property(`${c.name}: an accepted value is canonical, one word, never an option, and stable`, inputs(c.valid), s => {
        const r = c.parse(s);
        if (!r.ok) {
            if (!(r.error instanceof ValueError) || r.error.message === "" || r.error.field === "")
                throw new Error(`bad rejection of ${JSON.stringify(s)}`);
            return;
        }
        const v = String(r.value);
        // eslint-disable-next-line no-control-regex
        const bad = !c.canonical.test(v) || (!c.stdin && v.startsWith("-")) || /[\u0000-\u001f\u007f-\u009f]/.test(v) ||
            (!c.spaces && /\s/.test(v)) || (!c.stdin && v !== v.trim());
        if (bad)
            throw new Error(`${c.name} accepted ${JSON.stringify(s)} as ${JSON.stringify(v)}`);
        const again = c.parse(r.value);
        if (!again.ok || again.value !== r.value)
            throw new Error(`${c.name} not stable for ${JSON.stringify(v)}`);
    });
}
