/* libvirt-dbus's worker pool from `pgrep -a -x libvirt-dbus` (the line as the simulated pair's Debian package runs it, and the option's forms). */
import { parse } from "../../../src/parsers";

const threads = (text: string) => {
    const r = parse("libvirt-dbus-threads", text);
    return r.ok ? r.value : `error: ${r.error.message}`;
};

test("the default pool of 4, or what --threads sets, in each of its forms", () => {
    expect(threads("30454 libvirt-dbus --system\n")).toBe(4);
    expect(threads("812 /usr/sbin/libvirt-dbus --system --threads 9\n")).toBe(9);
    expect(threads("812 /usr/sbin/libvirt-dbus --system --threads=6\n")).toBe(6);
    expect(threads("812 /usr/sbin/libvirt-dbus --system -t 2\n")).toBe(2);
    expect(threads("812 /usr/sbin/libvirt-dbus -t8 --system\n")).toBe(8);
});

test("no process: not known (D-Bus starts it on the first call); two processes: the smaller pool", () => {
    expect(threads("")).toBeNull();
    expect(threads("1 libvirt-dbus --system\n2 libvirt-dbus --session -t 12\n")).toBe(4);
});

test("a line that is not libvirt-dbus's, or a count that is not one, is an error, never a guess", () => {
    expect(threads("pgrep: invalid option\n")).toMatch(/^error: not a libvirt-dbus process line/);
    expect(threads("12 libvirt-dbus --system --threads lots\n")).toMatch(/^error: .*not a positive number/);
});
