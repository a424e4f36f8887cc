#!/usr/bin/env node
// The synod command. The packages ship TypeScript sources; tsx compiles them
// on load, so there is no build step between a checkout and a running hub.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv);
