/* The page's hosts live in the session layer; this path stays for the views that still import it. */
export { journal, localHost, localLibvirt, localInstaller, destinationHost, type Destination } from "../session/hosts";
