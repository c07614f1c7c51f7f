/** Secret masking with keyed fingerprints and credential detectors, shared by every channel that records bodies. */
package dev.vigil.masking;
