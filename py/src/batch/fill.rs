//! A list cell (phases, changes) equal to one built earlier in the chunk is read once: the
//! later course's list is left empty in the document (a `Fill`), and once the core has read
//! the request it is given a copy of the list read at the earlier course (`fill`), made in a
//! buffer kept from the chunks priced before (`Spare`). A chunk read with any problem is
//! built again with every copy in place, so that each problem is at its own row.

use super::Read;

/// A chunk read with list fields left empty (`fills`) and its courses filled, or `None`
/// when it is to be built again with every copy in place (a read with any problem).
pub(super) fn filled(read: Read, fills: &mut [Fill], spare: &mut Spare) -> Option<Read> {
    let read = match read {
        // (With a problem the rows are not the courses: it is read again without fills.)
        Read {
            rows,
            problems,
            dropped,
            request: Some(Ok(mut request)),
        } if problems.is_empty() => {
            if fill(&mut request, fills, spare) {
                return Some(Read {
                    rows,
                    problems,
                    dropped,
                    request: Some(Ok(request)),
                });
            }
            // Never met (a request read has a course per row): built again with copies.
            Read {
                rows,
                problems,
                dropped,
                request: None,
            }
        }
        read => read,
    };
    fills.is_empty().then_some(read)
}

/// A course's list field left empty in the document, to be given the value read at an
/// earlier course of the chunk (`from`), which was built from an equal list.
pub(super) struct Fill {
    pub(super) course: usize,
    pub(super) field: Field,
    pub(super) from: usize,
}

/// The list fields of a course that rows may repeat, or the whole course.
pub(super) enum Field {
    Phases,
    Changes,
    /// The course is not in the document: it is the course `from` (the row before) with its
    /// own start date and texts.
    Row(Repeat),
}

/// What a course left out of the document has of its own: its start (`None`: the course
/// before's, for a table without a `start` column) and its texts (`None`: a cell left out,
/// or no such column).
#[derive(Default)]
pub(super) struct Repeat {
    pub(super) start: Option<jiff::civil::Date>,
    id: Option<String>,
    municipality: Option<String>,
    offer: Option<String>,
}

impl Repeat {
    /// The text of the column `name`.
    pub(super) fn set(&mut self, name: &str, text: &str) {
        let field = match name {
            "id" => &mut self.id,
            "municipality" => &mut self.municipality,
            "offer" => &mut self.offer,
            _ => return,
        };
        *field = Some(text.to_owned());
    }
}

impl Field {
    pub(super) fn of(column: &str) -> Option<Field> {
        match column {
            "phases" => Some(Field::Phases),
            "changes" => Some(Field::Changes),
            _ => None,
        }
    }
}

/// Gives each course its list fields read from an equal list at an earlier course, and
/// puts in the courses left out of the document (`Field::Row`), each made from the course
/// before it; false if a course is not there (never: the request has a course per row
/// that is not left out when it is read). A phase list is copied into one that `spare`
/// holds, when it holds one.
fn fill(request: &mut takst::Request, fills: &mut [Fill], spare: &mut Spare) -> bool {
    let rows = request.courses.len().saturating_add(
        fills
            .iter()
            .filter(|f| matches!(f.field, Field::Row(_)))
            .count(),
    );
    let mut read = std::mem::take(&mut request.courses).into_iter();
    let mut courses = Vec::with_capacity(rows);
    let mut fills = fills.iter_mut().peekable();
    for k in 0..rows {
        if let Some(f) = fills.next_if(|f| f.course == k && matches!(f.field, Field::Row(_))) {
            let (Field::Row(own), Some(from)) = (&mut f.field, courses.get(f.from)) else {
                return false;
            };
            let course = repeated(from, std::mem::take(own), spare);
            courses.push(course);
            continue;
        }
        let Some(course) = read.next() else {
            return false;
        };
        courses.push(course);
        while let Some(f) = fills.next_if(|f| f.course == k) {
            let Some(from) = courses.get(f.from).filter(|_| f.from < k) else {
                return false;
            };
            let empty = courses.get(k).is_some_and(|c| match f.field {
                Field::Phases => c.phases.is_empty(),
                Field::Changes => c.changes.is_empty(),
                Field::Row(_) => false,
            });
            if !empty {
                return false;
            }
            let phases = matches!(f.field, Field::Phases).then(|| spare.copy(&from.phases));
            let changes = matches!(f.field, Field::Changes).then(|| from.changes.clone());
            if let Some(c) = courses.get_mut(k) {
                if let Some(v) = phases {
                    c.phases = v;
                }
                if let Some(v) = changes {
                    c.changes = v;
                }
            }
        }
    }
    request.courses = courses;
    fills.next().is_none() && read.next().is_none()
}

/// The course `from` with its own start and texts, its phase list copied into one that
/// `spare` holds. Every field of `from` is named, so that a field added to `Course` fails to
/// compile here rather than be left out.
fn repeated(from: &takst::Course, own: Repeat, spare: &mut Spare) -> takst::Course {
    let takst::Course {
        id: _,
        municipality: _,
        offer: _,
        start,
        phases,
        changes,
    } = from;
    let Repeat {
        start: own_start,
        id,
        municipality,
        offer,
    } = own;
    takst::Course {
        id,
        municipality,
        offer,
        start: own_start.unwrap_or(*start),
        phases: spare.copy(phases),
        changes: changes.clone(),
    }
}

/// The phase lists of chunks priced, kept for the courses of later chunks that repeat a
/// list: a list copied into one of them reuses its buffer and its services' texts, where a
/// clone allocated a list and a text per phase (and the priced chunk freed as many).
/// Copied with every field overwritten, a kept list is equal to the list it copies.
#[derive(Default)]
pub(super) struct Spare(Vec<Vec<takst::Phase>>);

impl Spare {
    /// Keeps a priced chunk's phase lists, as many as a chunk fills at most.
    pub(super) fn keep(&mut self, lists: Vec<Vec<takst::Phase>>, chunk: usize) {
        let room = chunk.saturating_sub(self.0.len());
        self.0.extend(lists.into_iter().take(room));
    }

    /// A list equal to `from`: a kept one made equal to it, or its clone.
    fn copy(&mut self, from: &[takst::Phase]) -> Vec<takst::Phase> {
        let Some(mut to) = self.0.pop() else {
            return from.to_vec();
        };
        to.truncate(from.len());
        for (t, f) in to.iter_mut().zip(from) {
            copy_phase(t, f);
        }
        let kept = to.len();
        to.extend_from_slice(from.get(kept..).unwrap_or_default());
        to
    }
}

/// `to` made equal to `from`, reusing its texts. Every field of `from` is named, so that a
/// field added to `Phase` fails to compile here rather than keep another row's value.
fn copy_phase(to: &mut takst::Phase, from: &takst::Phase) {
    let takst::Phase {
        service,
        package,
        months,
        days,
        until,
        part_time_days,
        add_ons,
    } = from;
    to.service.clone_from(service);
    to.package = *package;
    to.months = *months;
    to.days = *days;
    to.until = *until;
    to.part_time_days = *part_time_days;
    to.add_ons.clone_from(add_ons);
}

/// The phase lists of a priced request's courses that hold any (for [`Spare`]).
pub(super) fn phase_lists(request: &mut takst::Request) -> Vec<Vec<takst::Phase>> {
    request
        .courses
        .iter_mut()
        .filter(|c| c.phases.capacity() > 0)
        .map(|c| std::mem::take(&mut c.phases))
        .collect()
}
