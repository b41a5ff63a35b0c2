/*
 * A D-Bus stand-in over the FakeCockpit of test/unit/fake-cockpit.ts (which has none): records every dbus()
 * opening and call (path, interface, method, args, options), answers from scripts by method name, and delivers
 * signals to subscribers.
 */
import { DBusCallOptions, DBusClient, DBusOptions, setCockpit } from "../../../src/lib/cockpit";
import { FakeCockpit } from "../fake-cockpit";

export interface DBusCall { path: string; iface: string; method: string; args: unknown[] | null; options: DBusCallOptions }
type Answer = unknown[] | ((call: DBusCall) => unknown[] | Promise<unknown[]>);
interface Sub { match: { path?: string; interface?: string; member?: string }; cb: (path: string, iface: string, signal: string, args: unknown[]) => void }

export class FakeDBusCockpit extends FakeCockpit {
    opened: { name: string | null | undefined; options: DBusOptions | undefined }[] = [];
    dbusCalls: DBusCall[] = [];
    closed = 0;
    private answers = new Map<string, Answer>();
    private subs: Sub[] = [];

    /** answer for `Interface.Method` or `Method`; a thrown error or rejected promise is the D-Bus error */
    answer(method: string, a: Answer): this {
        this.answers.set(method, a);
        return this;
    }

    override dbus(name?: string | null, options?: DBusOptions): DBusClient {
        this.opened.push({ name, options });
        return {
            call: async (path, iface, method, args, options = {}) => {
                const call: DBusCall = { path, iface, method, args, options };
                this.dbusCalls.push(call);
                const a = this.answers.get(`${iface}.${method}`) ?? this.answers.get(method);
                if (a === undefined)
                    throw { name: "org.freedesktop.DBus.Error.UnknownMethod", message: `no answer scripted for ${method}` };
                return typeof a === "function" ? a(call) : a;
            },
            subscribe: (match, cb) => {
                const sub = { match, cb };
                this.subs.push(sub);
                return { remove: () => { this.subs = this.subs.filter(s => s !== sub) } };
            },
            close: () => { this.closed++ },
        };
    }

    emit(path: string, iface: string, member: string, args: unknown[]): void {
        for (const s of this.subs)
            if ((s.match.path ?? path) === path && (s.match.interface ?? iface) === iface && (s.match.member ?? member) === member)
                s.cb(path, iface, member, args);
    }

    get subscriptions(): number {
        return this.subs.length;
    }
}

export function installFakeDBus(): FakeDBusCockpit {
    const fake = new FakeDBusCockpit();
    setCockpit(fake);
    return fake;
}
