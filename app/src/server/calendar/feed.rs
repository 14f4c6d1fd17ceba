//! An iCalendar feed's event instances within a window of time. Parsing is
//! `icalendar`'s, recurrence `rrule`'s (RRULE, RDATE, EXDATE), time zones
//! `chrono-tz`'s, with the Windows zone names Outlook and Exchange write
//! mapped by `windows-timezones` (CLDR). Here: choosing a zone for each
//! time, one instance per occurrence, overrides of single instances
//! (RECURRENCE-ID), cancelled ones, all-day events, a missing end.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use icalendar::parser::{read_calendar, Component, Property};
use icalendar::{CalendarDateTime, DatePerhapsTime};

use crate::types::Attendee;

/// The span of time a sync looks at.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

impl Window {
    fn overlaps(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        start < self.until && end > self.from
    }
}

/// One occurrence of an event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventInstance {
    pub uid: String,
    /// The occurrence's original start (RFC 3339, UTC) when the event
    /// recurs or overrides an occurrence; "" for a one-off event.
    pub instance_key: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub location: Option<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub all_day: bool,
    pub attendees: Vec<Attendee>,
    pub cancelled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    #[error("this is not an iCalendar feed: {0}")]
    NotICalendar(String),
}

/// An event without DTEND or DURATION lasts this long (a DATE one a day).
const DEFAULT_LENGTH: Duration = Duration::hours(1);
/// Occurrences looked at per recurring event before giving up on reaching
/// the window (a rule ticking every minute for years).
const MAX_OCCURRENCES: usize = 20_000;

/// Every event instance that overlaps `window`, cancelled ones included
/// (marked), ordered by start.
pub fn instances(feed: &[u8], window: &Window) -> Result<Vec<EventInstance>, FeedError> {
    let text = decoded(feed);
    let calendar = read_calendar(&text).map_err(|error| FeedError::NotICalendar(first_line(&error)))?;
    let zones = Zones::of(&calendar.properties, &calendar.components);
    let events: Vec<&Component> = calendar
        .components
        .iter()
        .filter(|component| component.name.as_str().eq_ignore_ascii_case("VEVENT"))
        .collect();
    // Overrides of single occurrences, by UID and original start.
    let mut overrides: HashMap<String, BTreeMap<DateTime<Utc>, &Component>> = HashMap::new();
    for event in &events {
        if let (Some(uid), Some(recurrence)) = (text_of(event, "UID"), event.find_prop("RECURRENCE-ID")) {
            if let Some(at) = zones.instant(recurrence) {
                overrides.entry(uid).or_default().insert(at.utc, event);
            }
        }
    }
    let mut found = Vec::new();
    for event in &events {
        if event.find_prop("RECURRENCE-ID").is_some() {
            continue;
        }
        let Some(uid) = text_of(event, "UID") else {
            continue;
        };
        let Some(master) = Occurrence::master(event, &zones) else {
            continue;
        };
        let replaced = overrides.remove(&uid).unwrap_or_default();
        let starts = if event.find_prop("RRULE").is_some() || event.find_prop("RDATE").is_some() {
            match recurrence_starts(event, &master, &zones, window) {
                Some(starts) => starts,
                None => {
                    tracing::warn!(%uid, "a recurring event whose rule cannot be read is skipped");
                    continue;
                }
            }
        } else {
            vec![master.start]
        };
        let recurs = starts.len() > 1 || event.find_prop("RRULE").is_some() || !replaced.is_empty();
        for start in starts {
            if let Some(changed) = replaced.get(&start) {
                if let Some(instance) = instance_of(changed, &uid, Some(start), &zones) {
                    push_if_within(&mut found, instance, window);
                }
                continue;
            }
            let key = recurs.then_some(start);
            let mut instance = instance_from(event, &uid, key, start, start + master.length, master.all_day);
            instance.cancelled |= is_cancelled(event);
            push_if_within(&mut found, instance, window);
        }
        // Overrides whose occurrence the rule does not produce (any more).
        for (original, changed) in &replaced {
            let produced = found.iter().any(|instance: &EventInstance| {
                instance.uid == uid && instance.instance_key == key_of(*original)
            });
            if !produced {
                if let Some(instance) = instance_of(changed, &uid, Some(*original), &zones) {
                    push_if_within(&mut found, instance, window);
                }
            }
        }
    }
    // Overrides without their master in the feed.
    for (uid, orphans) in overrides {
        for (original, changed) in orphans {
            if let Some(instance) = instance_of(changed, &uid, Some(original), &zones) {
                push_if_within(&mut found, instance, window);
            }
        }
    }
    found.sort_by(|a, b| (a.start, &a.uid, &a.instance_key).cmp(&(b.start, &b.uid, &b.instance_key)));
    Ok(found)
}

fn push_if_within(found: &mut Vec<EventInstance>, instance: EventInstance, window: &Window) {
    if window.overlaps(instance.start, instance.end) {
        found.push(instance);
    }
}

fn key_of(original: DateTime<Utc>) -> String {
    original.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The bytes as text: BOM dropped, lines unfolded before decoding (a fold
/// may split a UTF-8 character), invalid UTF-8 replaced rather than fatal.
fn decoded(feed: &[u8]) -> String {
    let feed = feed.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(feed);
    let mut unfolded = Vec::with_capacity(feed.len());
    let mut at = 0;
    while at < feed.len() {
        let rest = &feed[at..];
        let fold = if rest.starts_with(b"\r\n ") || rest.starts_with(b"\r\n\t") {
            3
        } else if rest.starts_with(b"\n ") || rest.starts_with(b"\n\t") {
            2
        } else {
            0
        };
        if fold > 0 {
            at += fold;
        } else {
            unfolded.push(feed[at]);
            at += 1;
        }
    }
    String::from_utf8(unfolded).unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

fn first_line(error: &str) -> String {
    error.lines().next().unwrap_or("").chars().take(200).collect()
}

/// An event's own start, length and kind.
struct Occurrence {
    start: DateTime<Utc>,
    length: Duration,
    all_day: bool,
}

impl Occurrence {
    fn master(event: &Component, zones: &Zones) -> Option<Self> {
        let start = zones.instant(event.find_prop("DTSTART")?)?;
        let end = event.find_prop("DTEND").and_then(|end| zones.instant(end));
        let length = match (end, event.find_prop("DURATION")) {
            (Some(end), _) if end.utc > start.utc => end.utc - start.utc,
            (None, Some(duration)) => {
                rfc5545_duration(duration.val.as_str()).filter(|d| *d > Duration::zero())?
            }
            _ if start.date_only => Duration::days(1),
            _ => DEFAULT_LENGTH,
        };
        Some(Occurrence {
            start: start.utc,
            length,
            all_day: start.date_only,
        })
    }
}

fn instance_of(
    event: &Component,
    uid: &str,
    original: Option<DateTime<Utc>>,
    zones: &Zones,
) -> Option<EventInstance> {
    let own = Occurrence::master(event, zones)?;
    let mut instance = instance_from(
        event,
        uid,
        original,
        own.start,
        own.start + own.length,
        own.all_day,
    );
    instance.cancelled = is_cancelled(event);
    Some(instance)
}

fn instance_from(
    event: &Component,
    uid: &str,
    original: Option<DateTime<Utc>>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    all_day: bool,
) -> EventInstance {
    EventInstance {
        uid: uid.to_owned(),
        instance_key: original.map(key_of).unwrap_or_default(),
        title: text_of(event, "SUMMARY"),
        description: text_of(event, "DESCRIPTION"),
        location: text_of(event, "LOCATION"),
        start,
        end,
        all_day,
        attendees: attendees(event),
        cancelled: false,
    }
}

fn is_cancelled(event: &Component) -> bool {
    text_of(event, "STATUS").is_some_and(|status| status.eq_ignore_ascii_case("CANCELLED"))
}

fn text_of(event: &Component, name: &str) -> Option<String> {
    event
        .properties
        .iter()
        .find(|property| property.name.as_str().eq_ignore_ascii_case(name))
        .map(|property| property.val.as_str().trim().to_owned())
        .filter(|text| !text.is_empty())
}

fn param<'a>(property: &'a Property, key: &str) -> Option<&'a str> {
    property
        .params
        .iter()
        .find(|param| param.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|param| param.val.as_ref())
        .map(|value| value.as_str().trim_matches('"'))
}

/// ATTENDEEs (a value may list several addresses) and the ORGANIZER.
fn attendees(event: &Component) -> Vec<Attendee> {
    let mut people = Vec::new();
    for property in &event.properties {
        let name = property.name.as_str();
        let organizer = name.eq_ignore_ascii_case("ORGANIZER");
        if !organizer && !name.eq_ignore_ascii_case("ATTENDEE") {
            continue;
        }
        let addresses: Vec<&str> = property.val.as_str().split(',').map(str::trim).collect();
        for (index, address) in addresses.iter().enumerate() {
            let email = address
                .get(..7)
                .filter(|scheme| scheme.eq_ignore_ascii_case("mailto:"))
                .map(|_| address[7..].to_owned())
                .or_else(|| param(property, "EMAIL").map(str::to_owned))
                .filter(|email| !email.is_empty());
            // The parameters describe the property's first address.
            let first = index == 0;
            people.push(Attendee {
                email,
                name: param(property, "CN").filter(|_| first).map(str::to_owned),
                status: param(property, "PARTSTAT").filter(|_| first).map(str::to_owned),
                role: if organizer {
                    Some("ORGANIZER".to_owned())
                } else {
                    param(property, "ROLE").filter(|_| first).map(str::to_owned)
                },
            });
        }
    }
    people
}

/// A time as the feed wrote it, resolved to an instant.
#[derive(Debug, Clone, Copy)]
struct Instant {
    utc: DateTime<Utc>,
    date_only: bool,
}

/// How the feed's times map to instants: its zones by TZID (IANA names,
/// Windows names, or a VTIMEZONE's X-LIC-LOCATION) and the zone of its
/// floating times and dates (X-WR-TIMEZONE, else UTC).
struct Zones {
    aliases: HashMap<String, chrono_tz::Tz>,
    default: chrono_tz::Tz,
}

impl Zones {
    fn of(properties: &[Property], components: &[Component]) -> Self {
        let mut aliases = HashMap::new();
        for zone in components
            .iter()
            .filter(|c| c.name.as_str().eq_ignore_ascii_case("VTIMEZONE"))
        {
            let (Some(id), Some(location)) = (text_of(zone, "TZID"), text_of(zone, "X-LIC-LOCATION")) else {
                continue;
            };
            if let Ok(tz) = location.parse::<chrono_tz::Tz>() {
                aliases.insert(id, tz);
            }
        }
        let default = properties
            .iter()
            .find(|property| property.name.as_str().eq_ignore_ascii_case("X-WR-TIMEZONE"))
            .and_then(|property| named_zone(property.val.as_str()))
            .unwrap_or(chrono_tz::UTC);
        Zones { aliases, default }
    }

    fn named(&self, id: &str) -> Option<chrono_tz::Tz> {
        let id = id.trim().trim_matches('"');
        named_zone(id).or_else(|| self.aliases.get(id).copied())
    }

    fn instant(&self, property: &Property) -> Option<Instant> {
        let owned = icalendar::Property::from(property.clone());
        let instant = match DatePerhapsTime::from_property(&owned)? {
            DatePerhapsTime::Date(date) => Instant {
                utc: local_to_utc(self.default, date.and_time(NaiveTime::MIN))?,
                date_only: true,
            },
            DatePerhapsTime::DateTime(CalendarDateTime::Utc(utc)) => Instant {
                utc,
                date_only: false,
            },
            DatePerhapsTime::DateTime(CalendarDateTime::Floating(naive)) => Instant {
                utc: local_to_utc(self.default, naive)?,
                date_only: false,
            },
            DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid }) => {
                let zone = self.named(&tzid).unwrap_or_else(|| {
                    tracing::warn!(%tzid, "unknown time zone in a calendar; read as the calendar's own");
                    self.default
                });
                Instant {
                    utc: local_to_utc(zone, date_time)?,
                    date_only: false,
                }
            }
        };
        Some(instant)
    }

    /// The zone an event's recurrence runs in: its DTSTART's.
    fn of_start(&self, property: &Property) -> chrono_tz::Tz {
        match param(property, "TZID") {
            Some(id) => self.named(id).unwrap_or(self.default),
            None if property.val.as_str().ends_with('Z') => chrono_tz::UTC,
            None => self.default,
        }
    }
}

/// IANA names, and the Windows names Outlook and Exchange write.
fn named_zone(id: &str) -> Option<chrono_tz::Tz> {
    id.parse::<chrono_tz::Tz>().ok().or_else(|| {
        id.parse::<windows_timezones::WindowsTimezone>()
            .ok()
            .map(Into::into)
    })
}

/// A wall-clock time in `zone`: the earlier of two in a repeated hour, the
/// hour after in a skipped one (as calendar applications do).
fn local_to_utc(zone: chrono_tz::Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match zone.from_local_datetime(&local) {
        chrono::LocalResult::Single(at) | chrono::LocalResult::Ambiguous(at, _) => {
            Some(at.with_timezone(&Utc))
        }
        chrono::LocalResult::None => zone
            .from_local_datetime(&(local + Duration::hours(1)))
            .earliest()
            .map(|at| at.with_timezone(&Utc)),
    }
}

/// The starts of a recurring event's occurrences, up to the window's end:
/// its RRULE from DTSTART, plus RDATEs, minus EXDATEs. None when the rule
/// cannot be read.
fn recurrence_starts(
    event: &Component,
    master: &Occurrence,
    zones: &Zones,
    window: &Window,
) -> Option<Vec<DateTime<Utc>>> {
    let start_property = event.find_prop("DTSTART")?;
    let zone = rrule::Tz::Tz(zones.of_start(start_property));
    let dt_start = master.start.with_timezone(&zone);
    let mut set = rrule::RRuleSet::new(dt_start);
    for rule in properties_named(event, "RRULE") {
        set = set.rrule(parsed_rule(rule.val.as_str(), dt_start, zones)?);
    }
    let mut extra: HashSet<DateTime<Utc>> = HashSet::from([master.start]);
    for rdate in properties_named(event, "RDATE") {
        extra.extend(listed_instants(rdate, zones));
    }
    let excluded: HashSet<DateTime<Utc>> = properties_named(event, "EXDATE")
        .flat_map(|exdate| listed_instants(exdate, zones))
        .collect();
    // Earliest start that can still overlap the window.
    let earliest = window.from - master.length;
    let mut starts: Vec<DateTime<Utc>> = Vec::new();
    if set.get_rrule().is_empty() {
        // RDATE only: the set needs no iteration.
    } else {
        for (count, occurrence) in (&set).into_iter().enumerate() {
            let at = occurrence.with_timezone(&Utc);
            if at >= window.until || count >= MAX_OCCURRENCES {
                break;
            }
            if at >= earliest {
                starts.push(at);
            }
        }
    }
    starts.extend(
        extra
            .into_iter()
            .filter(|at| *at >= earliest && *at < window.until),
    );
    starts.sort();
    starts.dedup();
    starts.retain(|at| !excluded.contains(at));
    Some(starts)
}

fn properties_named<'a, 'b>(
    event: &'a Component<'b>,
    name: &'a str,
) -> impl Iterator<Item = &'a Property<'b>> + 'a {
    event
        .properties
        .iter()
        .filter(move |property| property.name.as_str().eq_ignore_ascii_case(name))
}

/// An RRULE, with an UNTIL written as a date or a wall-clock time turned
/// into the UTC instant the crate requires of zoned rules.
fn parsed_rule(
    text: &str,
    dt_start: DateTime<rrule::Tz>,
    zones: &Zones,
) -> Option<rrule::RRule<rrule::Validated>> {
    // The grammar is ASCII; the crate slices what it is given by bytes.
    if !text.is_ascii() {
        return None;
    }
    let mut until = None;
    let parts: Vec<&str> = text
        .split(';')
        .filter(|part| match part.split_once('=') {
            Some((key, value)) if key.eq_ignore_ascii_case("UNTIL") => {
                until = until_instant(value, dt_start.timezone(), zones);
                false
            }
            _ => !part.trim().is_empty(),
        })
        .collect();
    let mut rule: rrule::RRule<rrule::Unvalidated> = parts.join(";").parse().ok()?;
    if let Some(until) = until {
        rule = rule.until(until.with_timezone(&rrule::Tz::UTC));
    }
    rule.validate(dt_start).ok()
}

fn until_instant(value: &str, zone: rrule::Tz, zones: &Zones) -> Option<DateTime<Utc>> {
    let value = value.trim();
    if let Some(utc) = value.strip_suffix('Z') {
        return NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S")
            .ok()
            .map(|naive| naive.and_utc());
    }
    let local = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S")
        .ok()
        // A date UNTIL includes that whole day.
        .or_else(|| {
            NaiveDate::parse_from_str(value, "%Y%m%d")
                .ok()?
                .and_hms_opt(23, 59, 59)
        })?;
    let zone = match zone {
        rrule::Tz::Tz(tz) => tz,
        rrule::Tz::Local(_) => zones.default,
    };
    local_to_utc(zone, local)
}

/// The instants of an RDATE or EXDATE (a comma-separated list; periods give
/// their starts).
fn listed_instants(property: &Property, zones: &Zones) -> Vec<DateTime<Utc>> {
    property
        .val
        .as_str()
        .split(',')
        .filter_map(|value| {
            let start = value.split('/').next().unwrap_or(value).trim();
            let mut single = property.clone();
            single.val = start.to_owned().into();
            zones.instant(&single).map(|instant| instant.utc)
        })
        .collect()
}

/// RFC 5545's DURATION (`P1W`, `PT1H30M`, `-P1D`, `P1DT12H`): a small
/// grammar, read here rather than with a general ISO 8601 crate.
fn rfc5545_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let mut rest = rest.strip_prefix('P')?;
    let mut total = Duration::zero();
    let mut in_time = false;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('T') {
            in_time = true;
            rest = after;
            continue;
        }
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let number: i64 = rest.get(..digits)?.parse().ok()?;
        let unit = rest[digits..].chars().next()?;
        total += match (unit, in_time) {
            ('W', false) => Duration::try_weeks(number)?,
            ('D', false) => Duration::try_days(number)?,
            ('H', true) => Duration::try_hours(number)?,
            ('M', true) => Duration::try_minutes(number)?,
            ('S', true) => Duration::try_seconds(number)?,
            _ => return None,
        };
        rest = &rest[digits + 1..];
    }
    Some(total * sign)
}

#[cfg(test)]
mod tests {
    use super::rfc5545_duration;
    use chrono::Duration;

    #[test]
    fn durations_read_as_rfc5545_writes_them() {
        assert_eq!(rfc5545_duration("PT1H"), Some(Duration::hours(1)));
        assert_eq!(rfc5545_duration("PT1H30M"), Some(Duration::minutes(90)));
        assert_eq!(rfc5545_duration("P1W"), Some(Duration::weeks(1)));
        assert_eq!(rfc5545_duration("P1DT12H"), Some(Duration::hours(36)));
        assert_eq!(rfc5545_duration("-PT15M"), Some(Duration::minutes(-15)));
        for bad in ["", "1H", "PTH", "P1H", "PT1D", "P1X", "P99999999999999999999D"] {
            assert_eq!(rfc5545_duration(bad), None, "{bad}");
        }
    }
}
