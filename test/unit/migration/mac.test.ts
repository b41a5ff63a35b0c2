/* The MAC chosen for the VF interface (src/migration/mac.ts). */
import { uniqueMac } from "../../../src/migration/mac";

test("the MAC: libvirt's QEMU prefix, never one in use", () => {
    const bytes = [0x12, 0x34, 0x56, 0xab, 0xcd, 0xef];
    let n = 0;
    const mac = uniqueMac(new Set(["52:54:00:12:34:56"]), () => bytes[n++ % bytes.length]);
    expect(mac).toBe("52:54:00:ab:cd:ef");
    expect(uniqueMac(new Set())).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
});
