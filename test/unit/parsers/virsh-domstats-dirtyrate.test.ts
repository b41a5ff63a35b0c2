import { section } from "./samples";
import { parsed, parseError } from "./expect-parse";

describe("virsh-domstats-dirtyrate on virsh-domstats-dirtyrate.txt", () => {
    test("REAL excerpt of an idle VM never measured: status unstarted, no rate", () => {
        expect(parsed("virsh-domstats-dirtyrate", section("virsh-domstats-dirtyrate.txt", "## REAL excerpt"))).toEqual({
            status: "unstarted", calcStatus: 0, calcStartTime: 0, calcPeriod: 0, calcMode: "page-sampling", vcpuMegabytesPerSecond: {},
        });
    });
});

describe("virsh-domstats-dirtyrate edge cases", () => {
    test("measured, with the Domain: line framing and per-vCPU rates", () => {
        const v = parsed("virsh-domstats-dirtyrate", "Domain: 'vm1'\n  dirtyrate.calc_status=2\n  dirtyrate.calc_start_time=1700000000\n  dirtyrate.calc_period=5\n  dirtyrate.calc_mode=dirty-ring\n  dirtyrate.megabytes_per_second=120\n  dirtyrate.vcpu.0.megabytes_per_second=60\n  dirtyrate.vcpu.1.megabytes_per_second=60\n\n");
        expect(v).toMatchObject({ domain: "vm1", status: "measured", megabytesPerSecond: 120, vcpuMegabytesPerSecond: { 0: 60, 1: 60 } });
    });

    test("other domstats keys, unknown status, two domains, missing status, empty", () => {
        expect(parseError("virsh-domstats-dirtyrate", "Domain: 'vm1'\n  state.state=1\n")).toMatchObject({ line: 2, text: "  state.state=1" });
        expect(parseError("virsh-domstats-dirtyrate", "  dirtyrate.calc_status=3\n").message).toMatch(/calc_status/);
        expect(parseError("virsh-domstats-dirtyrate", "Domain: 'a'\n  dirtyrate.calc_status=0\nDomain: 'b'\n").line).toBe(3);
        expect(parseError("virsh-domstats-dirtyrate", "  dirtyrate.calc_mode=page-sampling\n").line).toBe(0);
        expect(parseError("virsh-domstats-dirtyrate", "").line).toBe(0);
    });
});
