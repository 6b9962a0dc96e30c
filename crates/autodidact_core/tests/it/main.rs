mod file_format;
mod import;
mod planner;
mod templates;
