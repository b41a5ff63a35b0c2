/*
 * The NetworkManager profiles on a PF's interfaces, as the fixed read script (host/commands/network.ts nmPfProfiles)
 * prints them from nmcli -g. No capture of nmcli on a host exists (../shared/formats); the samples are the script's
 * output on the simulated pair, whose nmcli follows NetworkManager 1.48.10's source (test/simhost/services/README.md).
 */
import { parsed, parseError } from "./expect-parse";

// scenario nm-profiles, after the persist step stored 1 VF and switchdev
const STORED = "profile enp225s0np0 7a233fec-407d-4f6b-b864-51c2d86e9d47\n" +
    "file /etc/NetworkManager/system-connections/Wired connection 1.nmconnection\ntotal-vfs 1\neswitch-mode 1\n";

test("a saved profile with its SR-IOV setting: the count, and the mode as nmcli's number", () => {
    expect(parsed("nm-pf-profiles", STORED).profiles).toEqual([{
        dev: "enp225s0np0", uuid: "7a233fec-407d-4f6b-b864-51c2d86e9d47",
        file: "/etc/NetworkManager/system-connections/Wired connection 1.nmconnection", totalVfs: 1, eswitchMode: 1,
    }]);
});

test("no SR-IOV setting (nmcli prints no value), a profile in memory, several interfaces, none at all", () => {
    const text = "profile enp225s0np0 3D5F46CC-F898-4E13-85C1-42344ABE617E\nfile /run/NetworkManager/system-connections/enp225s0np0.nmconnection\n" +
        "total-vfs \neswitch-mode \nprofile enp225s0npf0vf0 0c1d2e3f-0000-4000-8000-000000000001\nfile \ntotal-vfs \neswitch-mode -1\n";
    expect(parsed("nm-pf-profiles", text).profiles).toEqual([
        { dev: "enp225s0np0", uuid: "3d5f46cc-f898-4e13-85c1-42344abe617e", file: "/run/NetworkManager/system-connections/enp225s0np0.nmconnection",
          totalVfs: null, eswitchMode: null },
        { dev: "enp225s0npf0vf0", uuid: "0c1d2e3f-0000-4000-8000-000000000001", file: "", totalVfs: null, eswitchMode: -1 },
    ]);
    expect(parsed("nm-pf-profiles", "").profiles).toEqual([]);
});

test("output it did not expect is an error that says what was wrong, and where", () => {
    expect(parseError("nm-pf-profiles", "profile enp225s0np0 not-a-uuid\n")).toMatchObject({ line: 1, message: expect.stringContaining("expected “profile IFNAME UUID”") });
    expect(parseError("nm-pf-profiles", "file /etc/x.nmconnection\n").message).toContain("a value before any profile");
    expect(parseError("nm-pf-profiles", STORED.replace("total-vfs 1", "total-vfs four"))).toMatchObject({ line: 3, message: expect.stringContaining("total-vfs: expected a number") });
    // terse mode prints the number (nm-meta-setting-desc.c, _get_fcn_gobject_enum); a name is not what nmcli -g gives
    expect(parseError("nm-pf-profiles", STORED.replace("eswitch-mode 1", "eswitch-mode switchdev")).message).toContain("eswitch-mode: expected a number");
    expect(parseError("nm-pf-profiles", "Error: NetworkManager is not running.\n").message).toContain("expected profile, file, total-vfs or eswitch-mode");
});
