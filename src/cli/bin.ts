/** The `quire` command's entry, built to out/main/cli.js (bin/quire.js runs it). */
import { exitQuietlyWhenOutputCloses, main } from './main';

exitQuietlyWhenOutputCloses(process.stdout);
exitQuietlyWhenOutputCloses(process.stderr);
process.exitCode = await main(process.argv.slice(2));
