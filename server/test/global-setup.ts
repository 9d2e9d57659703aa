/** Says loudly, once per run, whether the PostgreSQL half of the suite runs. */
export default function setup() {
  const url = process.env.TEST_DATABASE_URL;
  const line = '='.repeat(72);
  if (url) {
    console.log(
      `\n${line}\n  Integration tests run on SQLite AND PostgreSQL (${url.replace(/\/\/[^@]*@/, '//***@')})\n${line}\n`,
    );
  } else {
    console.warn(
      `\n${line}\n  !!! PostgreSQL SKIPPED: TEST_DATABASE_URL is not set.\n  !!! Integration tests run on SQLite only.\n${line}\n`,
    );
  }
}
