"""A model file's checksum: what it holds, written on save and verified on load.

On save, every group, dataset and attribute of the file is listed with a SHA-256 digest of
its contents (a dataset's dtype, shape and bytes; an attribute's value), as the JSON
attribute `contents`; the attribute `checksum` is "sha256:" and the SHA-256 of that JSON.
On load the file is listed again and compared: a part missing (an Adam file without
`optimizer/s`), added or changed (a bit flipped in `data_seed`) is refused, naming it.

The listing bounds every read before it is made: an attribute of more than MAX_ATTR_BYTES,
a dataset of strings or objects, or of more than MAX_DATASET_BYTES, is refused before a
byte of it is allocated (a dataset of 1 MB strings would otherwise take gigabytes).
"""

from __future__ import annotations

import hashlib
import json

import h5py
import numpy as np

from dnnviz.training.model_fields import ModelFileError

CONTENTS, CHECKSUM = "contents", "checksum"
MAX_ATTR_BYTES = 1 << 16  # the biggest a model file writes is a few hundred bytes
MAX_DATASET_BYTES = 4 << 30
BLOCK_BYTES = 1 << 24  # a dataset is hashed in blocks of rows of about this size
DIGEST_CHARS = 32


def parts(path, f: h5py.File) -> dict:
    """{name: (group, attribute name) or a Dataset or None for a group} of every group
    ("optimizer/s/"), dataset ("costs") and attribute ("@data_seed", "optimizer@name") but
    the checksum's own two; each checked for size from its metadata, nothing read."""
    out: dict = {}
    _list(path, f, "", out)
    return out


def _list(path, group: h5py.Group, prefix: str, out: dict) -> None:
    owner = prefix.rstrip("/")
    attrs = group.attrs  # h5py makes a new manager at every .attrs
    for name in attrs:
        if not prefix and name in (CONTENTS, CHECKSUM):
            continue
        _bound_attr(path, group, name, f"{owner}@{name}")
        out[f"{owner}@{name}"] = (group, name)
    for name in group:
        node = group[name]
        if isinstance(node, h5py.Group):
            out[prefix + name + "/"] = None
            _list(path, node, prefix + name + "/", out)
        elif isinstance(node, h5py.Dataset):
            _bound_dataset(path, node, prefix + name)
            out[prefix + name] = node


def _bound_attr(path, group, name: str, label: str) -> None:
    attr = group.attrs.get_id(name)
    if _nbytes(attr.shape, attr.dtype) > MAX_ATTR_BYTES:
        raise ModelFileError(f"{path}: attribute {label!r} is over "
                             f"{MAX_ATTR_BYTES // 1024} KiB; not a dnnviz model file")


def _bound_dataset(path, node: h5py.Dataset, name: str) -> None:
    """Refused before a byte is read: objects or variable-length text, text of over
    MAX_ATTR_BYTES (a model file holds none), anything of over MAX_DATASET_BYTES."""
    nbytes = _nbytes(node.shape, node.dtype)
    if node.dtype.kind == "O" or (node.dtype.kind in "SU" and nbytes > MAX_ATTR_BYTES):
        raise ModelFileError(f"{path}: dataset {name!r} holds text or objects "
                             f"({node.dtype}), not numbers; not a dnnviz model file")
    if nbytes > MAX_DATASET_BYTES:
        raise ModelFileError(f"{path}: dataset {name!r} of shape {node.shape} is too big")


def _nbytes(shape, dtype) -> int:
    return int(np.prod(shape or (), dtype=np.float64)) * dtype.itemsize


def digest(part) -> str:
    """The SHA-256 (shortened) of one part's contents; "group" for a group."""
    if part is None:
        return "group"
    if isinstance(part, h5py.Dataset):
        return _dataset_digest(part)
    return _attr_digest(*part)


def _attr_digest(group, name: str) -> str:
    value = group.attrs[name]
    h = hashlib.sha256()
    if isinstance(value, str):
        h.update(b"str:" + value.encode("utf-8", "surrogatepass"))
    elif isinstance(value, bytes):
        h.update(b"bytes:" + value)
    else:
        a = np.asarray(value)
        h.update(f"{a.dtype.str}{a.shape}".encode())
        h.update(repr(a.tolist()).encode() if a.dtype.kind == "O" else a.tobytes())
    return h.hexdigest()[:DIGEST_CHARS]


def _dataset_digest(node: h5py.Dataset) -> str:
    shape = node.shape or ()
    nbytes = _nbytes(shape, node.dtype)
    h = hashlib.sha256(f"{node.dtype.str}{shape}".encode())
    if not shape or 0 in shape:
        h.update(np.asarray(node[()]).tobytes())
        return h.hexdigest()[:DIGEST_CHARS]
    row = max(1, nbytes // shape[0])
    step = max(1, BLOCK_BYTES // row)
    for start in range(0, shape[0], step):
        h.update(np.ascontiguousarray(node[start:start + step]).tobytes())
    return h.hexdigest()[:DIGEST_CHARS]


def write_checksum(path, f: h5py.File) -> None:
    """List the file as written and store the listing and its checksum in it."""
    listing = {name: digest(part) for name, part in parts(path, f).items()}
    text = json.dumps(listing, sort_keys=True, separators=(",", ":"))
    f.attrs[CONTENTS] = text
    f.attrs[CHECKSUM] = "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def verify(path, f: h5py.File, found: dict, required: bool) -> bool:
    """ModelFileError (naming the part) unless the file holds what its checksum says;
    found: parts(path, f). A file of a format before checksums (required False) may have
    none: False then, True when verified."""
    if CHECKSUM not in f.attrs and not required:
        return False
    if CHECKSUM not in f.attrs or CONTENTS not in f.attrs:
        missing = CHECKSUM if CHECKSUM not in f.attrs else CONTENTS
        raise ModelFileError(f"{path}: missing attribute {missing!r} (the file's checksum); "
                             "the file was changed or damaged")
    expected = _contents(path, _stored(path, f))
    names = sorted(set(expected) | set(found), key=lambda n: (len(n), n))
    for name in names:  # names first: a part missing or added is found without reading
        if name not in found:
            raise ModelFileError(f"{path}: {_show(name)} is missing (its checksum lists it); "
                                 "the file was changed or damaged")
        if name not in expected:
            raise ModelFileError(f"{path}: {_show(name)} is not in its checksum (it was "
                                 "added); the file was changed")
    for name in names:
        if digest(found[name]) != expected[name]:
            raise ModelFileError(f"{path}: {_show(name)} does not match its checksum; the "
                                 "file was changed or damaged")
    return True


def _stored(path, f: h5py.File) -> tuple[str, str]:
    for name in (CONTENTS, CHECKSUM):
        _bound_attr(path, f, name, "@" + name)
    text, checksum = f.attrs[CONTENTS], f.attrs[CHECKSUM]
    if not isinstance(text, str) or not isinstance(checksum, str):
        raise ModelFileError(f"{path}: the checksum attributes should be text")
    return text, checksum


def _contents(path, stored: tuple[str, str]) -> dict[str, str]:
    text, checksum = stored
    actual = "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    if actual != checksum:
        raise ModelFileError(f"{path}: the list of its contents does not match its checksum; "
                             "the file was changed or damaged")
    contents = json.loads(text)
    if not isinstance(contents, dict) or not all(isinstance(v, str) for v in contents.values()):
        raise ModelFileError(f"{path}: the list of its contents is damaged")
    return contents


def _show(name: str) -> str:
    """'optimizer/s' (a group), 'costs' (a dataset), attribute 'data_seed' or
    attribute 'name' of 'optimizer'."""
    if "@" in name:
        owner, attr = name.split("@", 1)
        return f"attribute {attr!r}" + (f" of {owner!r}" if owner else "")
    return repr(name.rstrip("/"))
