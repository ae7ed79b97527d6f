// Validate glTF 2.0 files with the Khronos glTF-Validator (the npm package `gltf-validator`);
// prints one JSON object per file: counts of errors, warnings, infos and hints, and the first
// messages. Used by benchmarks/gltf_validator.py (`make validate-gltf`).
import { createRequire } from "module";
import { readFileSync } from "fs";

const require = createRequire(process.env.GLTF_VALIDATOR_MODULES + "/");
const validator = require("gltf-validator");

for (const path of process.argv.slice(2)) {
  const report = await validator.validateBytes(new Uint8Array(readFileSync(path)),
                                               { maxIssues: 50 });
  const issues = report.issues;
  console.log(JSON.stringify({
    file: path, validator: report.validatorVersion, errors: issues.numErrors,
    warnings: issues.numWarnings, infos: issues.numInfos, hints: issues.numHints,
    messages: issues.messages.slice(0, 10).map((m) => `${m.code} ${m.pointer ?? ""}: ${m.message}`),
  }));
}
