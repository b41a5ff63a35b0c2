/**
 * The NetworkManager profiles active on a PF's interfaces, as the fixed script of host/commands/network.ts
 * (nmPfProfiles) prints them from nmcli's terse output (NetworkManager 1.48: an enum as its number; a profile without
 * an SR-IOV setting prints no value). No capture of nmcli is in ../shared/formats.
 */
import { contentLines, fail } from "./common";

export interface NmProfile {
    /** the interface it is active on */
    dev: string;
    uuid: string;
    /** its file as nmcli prints it (":" escaped); "" when it has none */
    file: string;
    /** sriov.total-vfs, null when the profile has no SR-IOV setting */
    totalVfs: number | null;
    /** sriov.eswitch-mode: -1 preserve, 0 legacy, 1 switchdev; null without an SR-IOV setting */
    eswitchMode: number | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseNmProfiles(text: string): { profiles: NmProfile[] } {
    const profiles: NmProfile[] = [];
    let cur: NmProfile | null = null;
    for (const l of contentLines(text)) {
        const m = /^(profile|file|total-vfs|eswitch-mode)(?: (.*))?$/.exec(l.text);
        if (!m)
            fail(l, "expected profile, file, total-vfs or eswitch-mode");
        const [, key, value = ""] = m;
        if (key === "profile") {
            const [dev, uuid, ...rest] = value.split(" ");
            if (!dev || !uuid || rest.length || !UUID.test(uuid))
                fail(l, "expected “profile IFNAME UUID”");
            cur = { dev, uuid: uuid.toLowerCase(), file: "", totalVfs: null, eswitchMode: null };
            profiles.push(cur);
            continue;
        }
        if (!cur)
            fail(l, "a value before any profile");
        if (key === "file")
            cur.file = value;
        else if (value !== "") {
            if (!/^-?\d+$/.test(value))
                fail(l, `${key}: expected a number`);
            if (key === "total-vfs")
                cur.totalVfs = Number(value);
            else
                cur.eswitchMode = Number(value);
        }
    }
    return { profiles };
}
