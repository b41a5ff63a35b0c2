/*
 * The source's Cockpit, as a browser on this machine reaches it: the root session without login serves the plugin,
 * and the login page accepts the non-root user admin2 (whose session runs on the source: its home is the source's).
 */
import http from "http";
import { requirePair } from "./pair";

const ROOT_PORT = process.env.VFSIM_PORT_ROOT ?? "9091";
const LOGIN_PORT = process.env.VFSIM_PORT_LOGIN ?? "9092";

function get(url: string, auth?: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const headers: Record<string, string> = auth ? { Authorization: "Basic " + Buffer.from(auth).toString("base64") } : {};
        http.get(url, { headers }, res => {
            let body = "";
            res.on("data", (c: Buffer) => { body += c.toString(); });
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        }).on("error", reject);
    });
}

describe("Cockpit of the source", () => {
    beforeAll(() => requirePair());

    test("the root session without login serves the plugin's page", async () => {
        const r = await get(`http://127.0.0.1:${ROOT_PORT}/cockpit/@localhost/vf-migration/index.html`);
        expect(r.status).toBe(200);
        expect(r.body).toMatch(/<script[^>]+index\.js/);
    });

    test("the login page lets admin2 in with its password, and no one with a wrong one", async () => {
        const good = await get(`http://127.0.0.1:${LOGIN_PORT}/cockpit/login`, "admin2:vfsim-password");
        expect(good.status).toBe(200);
        expect(JSON.parse(good.body)).toHaveProperty("csrf-token");
        const bad = await get(`http://127.0.0.1:${LOGIN_PORT}/cockpit/login`, "admin2:wrong");
        expect(bad.status).toBe(401);
    });
});
