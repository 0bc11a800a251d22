use clap::Parser;

fn main() {
    let cli = affcast::cli::Cli::parse();
    if let Err(e) = affcast::run(cli) {
        eprintln!("affcast: error: {e}");
        std::process::exit(e.exit_code());
    }
}
