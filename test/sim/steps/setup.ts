/* The steps call _() at load time: the unit tests' stand-in for cockpit.js (import this first). */
import "../../unit/setup";
