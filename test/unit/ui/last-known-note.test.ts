/* How old the last known verdicts are, as the status page says it while it reads the host again. */
import { ageText } from "../../../src/ui/status/LastKnownNote";
import { installFakeCockpit } from "../fake-cockpit";

beforeAll(() => { installFakeCockpit() });

test.each([
    [0, "0 seconds"], [1_999, "1 second"], [59_000, "59 seconds"], [60_000, "1 minute"], [3_599_000, "59 minutes"],
    [3_600_000, "1 hour"], [47 * 3_600_000, "47 hours"], [48 * 3_600_000, "2 days"], [-5_000, "0 seconds"],
])("%i ms: %s", (ms, text) => {
    expect(ageText(ms)).toBe(text);
});
