/*
 * How many D-Bus calls libvirt-dbus serves at once, from `pgrep -a -x libvirt-dbus` ("PID libvirt-dbus --system
 * [-t N | --threads N | --threads=N]"). libvirt-dbus runs each method call in a worker thread of a pool of that
 * size, 4 by default (src/main.c: VIRT_DBUS_MAX_THREADS 4; option -t/--threads, glib's GOptionEntry parsing, so
 * `-tN` and `--threads=N` are accepted too). MigrateToURI3 holds its thread until the migration ends.
 * No real sample: the form is pgrep's ("PID cmdline", procps pgrep.c) and libvirt-dbus's documented options.
 */
import { failWhole } from "./common";

export const LIBVIRT_DBUS_DEFAULT_THREADS = 4;

/** The smallest pool among the listed processes; null when none runs (D-Bus starts it on the first call). */
export function parseLibvirtDbusThreads(text: string): number | null {
    const lines = text.split("\n").map(l => l.trim()).filter(Boolean);
    if (lines.length === 0)
        return null;
    const pools = lines.map(line => {
        const m = /^(\d+)\s+(.*)$/.exec(line);
        if (!m || !/(^|\/)libvirt-dbus(\s|$)/.test(m[2]))
            failWhole(`not a libvirt-dbus process line: ${JSON.stringify(line.slice(0, 200))}`);
        const words = m[2].split(/\s+/);
        let threads = LIBVIRT_DBUS_DEFAULT_THREADS;
        words.forEach((w, i) => {
            const v = w === "-t" || w === "--threads" ? words[i + 1] : /^(?:-t|--threads=)(\d+)$/.exec(w)?.[1];
            if (v !== undefined) {
                if (!/^\d+$/.test(v) || Number(v) < 1)
                    failWhole(`libvirt-dbus --threads value not a positive number: ${JSON.stringify(v)}`);
                threads = Number(v);
            }
        });
        return threads;
    });
    return Math.min(...pools);
}
