// `npm run audit:verify`: checks every plan's access-log hash chain and names the first bad row.
// Exit code 0 when every chain holds, 1 when one is broken. Uses DATABASE_URL, or the embedded
// PostgreSQL in DATA_DIR when it is not set.
import { withCliDatabase } from './cli.ts';
import { verifyAuditChains } from './queries/audit.ts';

const { checked, problems } = await withCliDatabase(verifyAuditChains);
if (problems.length === 0) {
  console.log(`Audit log intact: ${checked} events checked.`);
} else {
  for (const problem of problems) {
    console.error(
      `Broken chain for plan ${problem.planId ?? '(no plan)'}: first bad row ${problem.id} at position ${problem.seq}: ${problem.reason}`,
    );
  }
  process.exitCode = 1;
}
