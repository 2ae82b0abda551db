import os
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Tuple, Union

CONTRACT_VERSION: int
KINDS: tuple[str, ...]

class DossierError(Exception): ...
class DossierWarning(UserWarning): ...

Source = Union[str, os.PathLike[str], bytes]
Report = Dict[str, Any]
Story = Dict[str, Any]
Dossier = Dict[str, Any]

def read(
    source: Union[Source, Iterable[Source]],
    *,
    kind: Optional[str] = ...,
    name: Optional[str] = ...,
    errors: str = ...,
    report_timeout: float = ...,
    max_bytes: Optional[int] = ...,
) -> List[Report]: ...
class Read(NamedTuple):
    reports: List[Report]
    skipped: List[Tuple[str, str]]
    warnings: List[Tuple[str, str]]

def read_all(
    source: Union[Source, Iterable[Source]],
    *,
    kind: Optional[str] = ...,
    name: Optional[str] = ...,
    report_timeout: float = ...,
    max_bytes: Optional[int] = ...,
) -> Read: ...
def report(
    text: Optional[str] = ...,
    *,
    html: Optional[str] = ...,
    id: Optional[str] = ...,
    title: Optional[str] = ...,
    url: Optional[str] = ...,
    published: Optional[str] = ...,
    source: Optional[str] = ...,
) -> Report: ...
def analyse(
    reports: List[Report],
    *,
    pile: Optional[Dict[str, Any]] = ...,
    entities: bool = ...,
    claims: bool = ...,
    models: Optional[Union[str, os.PathLike[str]]] = ...,
    precision: str = ...,
    words: int = ...,
    one_story: bool = ...,
    story_threshold: Optional[float] = ...,
    events: bool = ...,
    report_timeout: float = ...,
    max_bytes: int = ...,
) -> Dossier: ...
def story(
    reports: List[Report],
    *,
    entities: bool = ...,
    claims: bool = ...,
    models: Optional[Union[str, os.PathLike[str]]] = ...,
    precision: str = ...,
    words: int = ...,
    report_timeout: float = ...,
) -> Story: ...
def build(
    inputs: Union[Source, Iterable[Source], List[Report]],
    out: Optional[Union[str, os.PathLike[str]]] = ...,
    *,
    kind: Optional[str] = ...,
    name: Optional[str] = ...,
    errors: str = ...,
    entities: bool = ...,
    claims: bool = ...,
    models: Optional[Union[str, os.PathLike[str]]] = ...,
    precision: str = ...,
    words: int = ...,
    one_story: bool = ...,
    story_threshold: Optional[float] = ...,
    events: bool = ...,
    report_timeout: float = ...,
    max_bytes: int = ...,
) -> Dossier: ...
