//! The command line: parse arguments, call the library, print what happened.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use advocate::output::LockedOutput;
use advocate::source::{Diagnostic, Diagnostics};
use advocate::{engine, scaffold, schema};

/// Build a guide and a progress site for your advocacy relationships, from Markdown and YAML.
#[derive(Parser)]
#[command(name = "advocate", version, about)]
struct Cli {
    /// The site's folder (the one holding site.yaml).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build output/site (public, safe to host) and output/private (everything, for you).
    Build {
        /// Where to write, instead of `output` inside the site.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[command(flatten)]
        options: BuildFlags,
        /// Keep running and rebuild after every change to site.yaml, content/ or themes/.
        #[arg(long)]
        watch: bool,
    },
    /// Preview the site in a browser, rebuilding and reloading as you save.
    Serve {
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; the default only accepts this computer.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Serve the public site instead of your private one.
        #[arg(long)]
        public: bool,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        #[command(flatten)]
        options: BuildFlags,
    },
    /// Check every file and report every problem; writes nothing.
    Check {
        #[command(flatten)]
        options: BuildFlags,
    },
    /// Create a new site in DIR that builds at once.
    Init {
        /// The folder to create (must be empty or not exist).
        dir: PathBuf,
    },
    /// Create a new file from a commented template.
    #[command(subcommand)]
    New(NewCommand),
    /// Write JSON Schemas for site.yaml and partner files into schemas/.
    Schema,
}

#[derive(clap::Args)]
struct BuildFlags {
    /// Treat warnings (such as characters the workbook fonts cannot draw) as errors.
    #[arg(long)]
    strict: bool,
    /// Skip the PDF workbooks, handouts and guide, for a quicker look at the websites.
    #[arg(long)]
    no_workbooks: bool,
}

impl BuildFlags {
    fn options(&self) -> engine::Options {
        engine::Options {
            strict: self.strict,
            workbooks: !self.no_workbooks,
        }
    }
}

#[derive(Subcommand)]
enum NewCommand {
    /// Write content/partners/<id>.yaml for a new partner; never overwrites.
    Partner {
        /// The partner's name, in quotes: "Priya Shah".
        name: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let styled = std::io::stderr().is_terminal();
    let root = cli.root;
    match cli.command {
        Command::Build {
            out,
            options,
            watch: true,
        } => watch(&root, out, &options, styled),
        Command::Build {
            out,
            options,
            watch: false,
        } => build(&root, out, &options, styled),
        Command::Serve {
            port,
            bind,
            public,
            open,
            options,
        } => serve(
            &root,
            SocketAddr::new(bind, port),
            public,
            open,
            &options,
            styled,
        ),
        Command::Check { options } => check(&root, &options, styled),
        Command::Init { dir } => init(&dir, styled),
        Command::New(NewCommand::Partner { name }) => new_partner(&root, &name, styled),
        Command::Schema => write_schemas(&root),
    }
}

/// `advocate build`.
fn build(root: &Path, out: Option<PathBuf>, options: &BuildFlags, styled: bool) -> ExitCode {
    let out = out.unwrap_or_else(|| engine::default_out(root));
    let on_wait = |waiting: &str| eprintln!("{waiting}");
    match engine::build(root, &out, options.options(), on_wait) {
        Ok(report) => {
            for folder in &report.cleared {
                println!("{}", LockedOutput::cleared_message(folder));
            }
            print_all(&under(report.warnings, root), styled);
            println!(
                "built {} files ({} guide pages, {} partners, {} PDFs) into {}",
                report.files,
                report.guide_pages,
                report.partners,
                report.pdfs,
                report.out.display()
            );
            println!("  host:  {}", report.out.join("site").display());
            println!(
                "  yours: {}",
                report.out.join("private").join("index.html").display()
            );
            ExitCode::SUCCESS
        }
        Err(problems) => fail(&under(problems, root), styled),
    }
}

/// `advocate build --watch`.
fn watch(root: &Path, out: Option<PathBuf>, options: &BuildFlags, styled: bool) -> ExitCode {
    let out = out.unwrap_or_else(|| engine::default_out(root));
    match advocate::serve::build_and_watch(root, &out, options.options()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => stopped(&problem, styled),
    }
}

/// `advocate serve`.
fn serve(
    root: &Path,
    address: SocketAddr,
    public: bool,
    open: bool,
    options: &BuildFlags,
    styled: bool,
) -> ExitCode {
    let serve = advocate::serve::ServeOptions {
        address,
        public,
        build: options.options(),
    };
    let ready = |address: SocketAddr| {
        let url = format!("http://{address}/");
        println!("serving {url} (Ctrl-C to stop)");
        if !address.ip().is_loopback() {
            eprintln!(
                "warning: listening on {}, so other computers that can reach this one can read the {} site",
                address.ip(),
                if public { "public" } else { "private" }
            );
        }
        if open {
            open_browser(&url);
        }
    };
    match advocate::serve::serve(root, serve, ready) {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => stopped(&problem, styled),
    }
}

/// `advocate check`.
fn check(root: &Path, options: &BuildFlags, styled: bool) -> ExitCode {
    match engine::check(root, options.options()) {
        Ok(warnings) => {
            print_all(&under(warnings, root), styled);
            println!("no problems found");
            ExitCode::SUCCESS
        }
        Err(problems) => fail(&under(problems, root), styled),
    }
}

/// `advocate init DIR`.
fn init(dir: &Path, styled: bool) -> ExitCode {
    let today = jiff::Zoned::now().date().strftime("%Y-%m-%d").to_string();
    match scaffold::init(dir, &today) {
        Ok(files) => {
            println!(
                "created a new site in {} ({} files)",
                dir.display(),
                files.len()
            );
            println!("next: cd {} && advocate build", dir.display());
            ExitCode::SUCCESS
        }
        Err(problem) => fail(&problem.into(), styled),
    }
}

/// `advocate new partner NAME`.
fn new_partner(root: &Path, name: &str, styled: bool) -> ExitCode {
    match scaffold::new_partner(root, name) {
        Ok(path) => {
            println!("created {}", path.display());
            ExitCode::SUCCESS
        }
        Err(problem) => fail(&problem.into(), styled),
    }
}

/// `advocate schema`.
fn write_schemas(root: &Path) -> ExitCode {
    match schema::write(root) {
        Ok(paths) => {
            for path in paths {
                println!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: cannot write the schemas: {error}");
            ExitCode::FAILURE
        }
    }
}

/// A command that runs until stopped, stopped by `problem`.
fn stopped(problem: &Diagnostic, styled: bool) -> ExitCode {
    eprintln!("{}", problem.render(styled));
    ExitCode::FAILURE
}

/// Opens `url` in the default browser (or `$BROWSER`), if the system has a way to.
fn open_browser(url: &str) {
    if opener::open_browser(url).is_err() {
        eprintln!("could not open a browser: open {url} yourself");
    }
}

/// Names every file from where the user stands rather than from inside the site.
fn under(problems: Diagnostics, root: &Path) -> Diagnostics {
    let mut named = Diagnostics::new();
    named.extend(problems.into_iter().map(|p| p.under(root)));
    named
}

fn print_all(problems: &Diagnostics, styled: bool) {
    for problem in problems.iter() {
        eprintln!("{}\n", problem.render(styled));
    }
}

fn fail(problems: &Diagnostics, styled: bool) -> ExitCode {
    print_all(problems, styled);
    let errors = problems.errors().count();
    let warnings = problems.warnings().count();
    eprintln!(
        "{errors} error{} and {warnings} warning{}; nothing was written",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    );
    ExitCode::FAILURE
}
