//! The console's entry point: trunk builds this binary into the page.

fn main() {
    st_console::main();
}
