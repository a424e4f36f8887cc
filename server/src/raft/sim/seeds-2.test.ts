/** Simulated seeds, part 2 of 4 (see seed-part.ts). */
import { describeSeedPart } from "./seed-part.js";

describeSeedPart(2);
