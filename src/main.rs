//! The `affcast` binary: parse the command line, run it, map an error to an exit code.

mod cli;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    if let Err(e) = cli::run(args) {
        let lever = match e {
            affcast::Error::Work(_) => {
                "; lower --trials, the months or the traffic, or pass --force to run it anyway"
            }
            _ => "",
        };
        affcast::output::say(&format!("affcast: error: {e}{lever}"));
        std::process::exit(e.exit_code());
    }
}
