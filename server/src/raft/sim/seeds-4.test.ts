/** Simulated seeds, part 4 of 4 (see seed-part.ts). */
import { describeSeedPart } from "./seed-part.js";

describeSeedPart(4);
