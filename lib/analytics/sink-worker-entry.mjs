// Worker threads do not inherit the tsx loader of `node --import tsx`: register it, then load
// the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./sink-worker.ts");
