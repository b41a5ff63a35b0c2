import { useEffect, useState } from "react";
import { superuserNow, watchSuperuser } from "../lib/cockpit";

/** Whether the session has administrative access (null until Cockpit says), following the "Limited access" switch. */
export function useSuperuser(): boolean | null {
    const [admin, setAdmin] = useState<boolean | null>(superuserNow);
    useEffect(() => watchSuperuser(setAdmin), []);
    return admin;
}
