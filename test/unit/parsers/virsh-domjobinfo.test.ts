import { afterCommand, section } from "./samples";
import { parsed, parseError } from "./expect-parse";

const FILE = "virsh-domjobinfo.txt";

describe("virsh-domjobinfo on virsh-domjobinfo.txt", () => {
    test("(a) REAL: failed outgoing migration on the source", () => {
        expect(parsed("virsh-domjobinfo", afterCommand(FILE, "$ virsh domjobinfo fdecd242-f278-4308-8c3b-46e144e55f63")))
            .toEqual({ jobType: "Failed", operation: "Outgoing migration" });
    });

    const [running, completed] = section(FILE, "## hypergery_ubuntu").split("\n\n");

    test("(b) fixture, running job: sizes in MiB -> bytes, ms, pages/s, iteration", () => {
        expect(parsed("virsh-domjobinfo", running)).toEqual({
            jobType: "Unbounded", operation: "Outgoing migration", timeElapsedMs: 5000,
            dataProcessedBytes: 1024 * 2 ** 20, dataRemainingBytes: 512 * 2 ** 20, dataTotalBytes: 2048 * 2 ** 20,
            memoryProcessedBytes: 1024 * 2 ** 20, memoryRemainingBytes: 512 * 2 ** 20, memoryTotalBytes: 2048 * 2 ** 20,
            memoryBytesPerSecond: 800 * 2 ** 20, dirtyRatePagesPerSecond: 1000, iteration: 3,
        });
    });

    test("(b) fixture, completed job: total downtime", () => {
        expect(parsed("virsh-domjobinfo", completed)).toEqual({
            jobType: "Completed", operation: "Outgoing migration", timeElapsedMs: 21000, totalDowntimeMs: 42, memoryTotalBytes: 2048 * 2 ** 20,
        });
    });

    test("NB of the file: genuine %-12llu padding before units and at line end", () => {
        const v = parsed("virsh-domjobinfo", "Job type:         Unbounded\nDirty rate:       1000         pages/s\nIteration:        3           \nTime remaining:   1200         ms\n");
        expect(v).toMatchObject({ dirtyRatePagesPerSecond: 1000, iteration: 3, timeRemainingMs: 1200 });
    });
});

describe("virsh-domjobinfo edge cases", () => {
    test("no job: only Job type None", () => {
        expect(parsed("virsh-domjobinfo", "Job type:         None         \n")).toEqual({ jobType: "None" });
    });

    test("GiB, KiB and bytes; error message text; throttle percent", () => {
        const v = parsed("virsh-domjobinfo", "Job type:         Failed\nMemory total:     4.000 GiB\nPage size:        4096         bytes\nNormal data:      1.500 KiB\nAuto converge throttle: 10 %\nError message:    operation failed: migration out job: unexpectedly failed\n");
        expect(v).toMatchObject({ memoryTotalBytes: 4 * 2 ** 30, pageSizeBytes: 4096, normalDataBytes: 1536, autoConvergeThrottlePercent: 10,
            errorMessage: "operation failed: migration out job: unexpectedly failed" });
    });

    test("unknown label, unknown unit, bad job type, missing job type, empty", () => {
        expect(parseError("virsh-domjobinfo", "Job type:         Unbounded\nVFIO data:        1 MiB\n")).toMatchObject({ line: 2 });
        expect(parseError("virsh-domjobinfo", "Job type:         Unbounded\nMemory total:     1.000 XB\n").message).toMatch(/unit/);
        expect(parseError("virsh-domjobinfo", "Job type:         Running\n").message).toMatch(/Job type/);
        expect(parseError("virsh-domjobinfo", "Time elapsed:     5000         ms\n")).toMatchObject({ line: 0 });
        expect(parseError("virsh-domjobinfo", "").line).toBe(0);
        expect(parseError("virsh-domjobinfo", "Job type:         Unbounded\nTime elapsed:     5000\n").message).toMatch(/ms/);
    });
});
