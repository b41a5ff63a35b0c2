/* The pure parts of the per-VM checks (src/migration/vm-checks.ts). */
import { memoryMiB } from "../../../src/migration/vm-checks";

test("the VM's memory in MiB from <memory unit=…>", () => {
    expect(memoryMiB("<domain><name>g</name><memory unit='KiB'>196608</memory></domain>")).toBe(192);
    expect(memoryMiB("<domain><name>g</name><memory unit='GiB'>2</memory></domain>")).toBe(2048);
    expect(memoryMiB("<domain><name>g</name><memory>1048576</memory></domain>")).toBe(1024);
    expect(memoryMiB("<domain><name>g</name></domain>")).toBeNull();
});
