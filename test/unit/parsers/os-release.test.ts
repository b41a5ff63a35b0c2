// No os-release sample in shared/formats; this is the RHEL 9.4 file's content (format: os-release(5)).
import { parsed, parseError } from "./expect-parse";

const RHEL94 = `NAME="Red Hat Enterprise Linux"
VERSION="9.4 (Plow)"
ID="rhel"
ID_LIKE="fedora"
VERSION_ID="9.4"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Red Hat Enterprise Linux 9.4 (Plow)"
ANSI_COLOR="0;31"
LOGO="fedora-logo-icon"
CPE_NAME="cpe:/o:redhat:enterprise_linux:9::baseos"
HOME_URL="https://www.redhat.com/"
`;

describe("os-release", () => {
    test("RHEL 9.4", () => {
        expect(parsed("os-release", RHEL94)).toMatchObject({
            id: "rhel", idLike: ["fedora"], versionId: "9.4", platformId: "platform:el9", prettyName: "Red Hat Enterprise Linux 9.4 (Plow)",
        });
    });

    test("Debian style bare values, comments, single quotes and escapes", () => {
        const v = parsed("os-release", "# comment\nID=debian\nVERSION_ID='12'\nNAME=\"Deb \\\"x\\\"\"\n\n");
        expect(v).toMatchObject({ id: "debian", versionId: "12", name: 'Deb "x"', idLike: [] });
    });

    test("malformed lines and empty output", () => {
        expect(parseError("os-release", 'ID="rhel\n')).toMatchObject({ line: 1 });
        expect(parseError("os-release", "ID=rhel\nnot a line\n")).toMatchObject({ line: 2 });
        expect(parseError("os-release", "NAME=Red Hat\n").line).toBe(1);
        expect(parseError("os-release", "").line).toBe(0);
    });
});
