#!/usr/bin/env node
// The `deriva` command: the compiled command line (npm run build writes dist/).
import "../dist/main.js";
