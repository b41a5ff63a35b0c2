/* A .sh file imported as its text (esbuild's text loader; test/unit/sh-transform.js under jest). */
declare module "*.sh" {
    const text: string;
    export default text;
}
