import { useEffect, useState } from "react";
import { watchSuperuser } from "../lib/cockpit";

/** Whether the session has administrative access (null until Cockpit says), following the "Limited access" switch. */
export function useSuperuser(): boolean | null {
    const [admin, setAdmin] = useState<boolean | null>(null);
    useEffect(() => watchSuperuser(setAdmin), []);
    return admin;
}
