//! The `affcast` binary: parse the command line, run it, map an error to an exit code.

mod cli;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    if let Err(e) = cli::run(args) {
        affcast::output::say(&format!("affcast: error: {e}"));
        std::process::exit(e.exit_code());
    }
}
