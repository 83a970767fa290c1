//! Walks over the models by name: the one place alias chains are followed (with the one
//! bound that keeps a walk finite) and the one answer to "which models does this type
//! name". The passes after lowering and the emitter both look models up through
//! [`Models`], whichever map they hold them in.

use super::{Model, ModelKind, Type};
use crate::naming::RustIdent;
use std::collections::BTreeMap;

/// Models looked up by name.
pub trait Models {
    /// The kind of the model called `name`, if there is one.
    fn kind(&self, name: &RustIdent) -> Option<&ModelKind>;

    /// How many models there are. No chain of references without a cycle is longer, so
    /// this bounds every walk along them: lowering refuses alias cycles
    /// (`lower::recursion::check_alias_cycles`), the bound keeps a walk finite regardless.
    fn count(&self) -> usize;

    /// The aliases a chain from `ty` passes through, in order, and the type it ends in:
    /// from `A` (`A: {$ref: B}`, `B: {type: string}`), `[A, B]` and `String`. Containers
    /// are not looked into: an alias of `Vec<T>` ends in `Vec<T>`. A cycle (refused by
    /// lowering) ends where the bound does, still an alias.
    fn follow_aliases<'a>(&'a self, ty: &'a Type) -> (Vec<&'a RustIdent>, &'a Type) {
        let mut passed = Vec::new();
        let mut ty = ty;
        for _ in 0..=self.count() {
            let Type::Named(name) = ty else {
                break;
            };
            match self.kind(name) {
                Some(ModelKind::Alias(inner)) => {
                    passed.push(name);
                    ty = inner;
                }
                _ => break,
            }
        }
        (passed, ty)
    }

    /// The type an alias chain ends in: `ty` itself unless it names an alias (see
    /// [`Models::follow_aliases`]).
    fn dealias<'a>(&'a self, ty: &'a Type) -> &'a Type {
        self.follow_aliases(ty).1
    }

    /// The kind of the model `ty` names once aliases are followed (`None` for a scalar
    /// or a container).
    fn dealiased_kind<'a>(&'a self, ty: &'a Type) -> Option<&'a ModelKind> {
        match self.dealias(ty) {
            Type::Named(name) => self.kind(name),
            _ => None,
        }
    }

    /// Every model `ty` names, looking through containers and following aliases: `A`
    /// (an alias of `Vec<B>`), then `B` (an alias of `C`), then `C`. In that order; the
    /// last is not an alias.
    fn named_through_aliases<'a>(&'a self, ty: &'a Type) -> Vec<&'a RustIdent> {
        let mut names = Vec::new();
        let mut next = ty.named();
        while let Some(name) = next {
            if names.len() > self.count() {
                break;
            }
            names.push(name);
            next = match self.kind(name) {
                Some(ModelKind::Alias(inner)) => inner.named(),
                _ => None,
            };
        }
        names
    }
}

impl Models for BTreeMap<RustIdent, Model> {
    fn kind(&self, name: &RustIdent) -> Option<&ModelKind> {
        self.get(name).map(|m| &m.kind)
    }

    fn count(&self) -> usize {
        self.len()
    }
}

impl Models for BTreeMap<&RustIdent, &ModelKind> {
    fn kind(&self, name: &RustIdent) -> Option<&ModelKind> {
        self.get(name).copied()
    }

    fn count(&self) -> usize {
        self.len()
    }
}

impl Models for BTreeMap<&RustIdent, &Model> {
    fn kind(&self, name: &RustIdent) -> Option<&ModelKind> {
        self.get(name).map(|m| &m.kind)
    }

    fn count(&self) -> usize {
        self.len()
    }
}

impl Type {
    /// The model this type embeds by value (not behind a `Vec` or a map): the edges
    /// along which a type can contain itself.
    pub fn named_by_value(&self) -> Option<&RustIdent> {
        match self {
            Type::Named(n) => Some(n),
            _ => None,
        }
    }
}

impl ModelKind {
    /// The types a model's definition is made of: its fields' and additional
    /// properties', its variants', or the type it stands for. With [`Type::named`],
    /// which models a model names.
    pub fn types(&self) -> Vec<&Type> {
        match self {
            ModelKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| &f.ty)
                .chain(s.additional.as_ref())
                .collect(),
            ModelKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            ModelKind::Alias(ty) | ModelKind::Newtype(ty) => vec![ty],
            ModelKind::Enum(_) => Vec::new(),
        }
    }

    /// The models this model's definition names.
    pub fn named(&self) -> impl Iterator<Item = &RustIdent> {
        self.types().into_iter().filter_map(Type::named)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{UnionVariant, Usage};
    use crate::pointer::Pointer;

    fn model(name: &str, kind: ModelKind) -> (RustIdent, Model) {
        let name = RustIdent::new(name);
        let model = Model {
            name: name.clone(),
            doc: None,
            deprecated: false,
            source: Pointer::root(),
            kind,
            usage: Usage::default(),
            features: Vec::new(),
        };
        (name, model)
    }

    fn named(name: &str) -> Type {
        Type::Named(RustIdent::new(name))
    }

    #[test]
    fn alias_chains_end_in_their_type_and_name_every_model_on_the_way() {
        let models: BTreeMap<RustIdent, Model> = [
            model("A", ModelKind::Alias(Type::Vec(Box::new(named("B"))))),
            model("B", ModelKind::Alias(named("C"))),
            model("C", ModelKind::Alias(Type::String)),
            model(
                "U",
                ModelKind::Union(crate::ir::Union {
                    variants: vec![UnionVariant {
                        name: RustIdent::new("Left"),
                        ty: named("B"),
                        tags: Vec::new(),
                    }],
                    tag: None,
                }),
            ),
        ]
        .into_iter()
        .collect();
        assert_eq!(models.dealias(&named("B")), &Type::String);
        assert_eq!(
            models.dealias(&named("A")),
            &Type::Vec(Box::new(named("B")))
        );
        assert_eq!(models.dealias(&Type::I64), &Type::I64);
        let b = named("B");
        let (passed, end) = models.follow_aliases(&b);
        assert_eq!(passed, [&RustIdent::new("B"), &RustIdent::new("C")]);
        assert_eq!(end, &Type::String);
        let a = named("A");
        let names: Vec<&str> = models
            .named_through_aliases(&a)
            .into_iter()
            .map(RustIdent::bare)
            .collect();
        assert_eq!(names, ["A", "B", "C"]);
        assert!(matches!(
            models.dealiased_kind(&named("U")),
            Some(ModelKind::Union(_))
        ));
        let kinds: BTreeMap<&RustIdent, &ModelKind> =
            models.iter().map(|(n, m)| (n, &m.kind)).collect();
        assert_eq!(kinds.dealias(&named("B")), &Type::String);
        let named_by_u: Vec<&RustIdent> = models[&RustIdent::new("U")].kind.named().collect();
        assert_eq!(named_by_u, [&RustIdent::new("B")]);
    }

    /// A cycle (which lowering refuses) still ends: the walk is bounded.
    #[test]
    fn a_cycle_of_aliases_does_not_hang_the_walk() {
        let models: BTreeMap<RustIdent, Model> = [
            model("A", ModelKind::Alias(named("B"))),
            model("B", ModelKind::Alias(named("A"))),
        ]
        .into_iter()
        .collect();
        let a = named("A");
        let (passed, end) = models.follow_aliases(&a);
        assert!(passed.len() <= 3 && passed.contains(&&RustIdent::new("B")));
        assert!(matches!(end, Type::Named(_)));
        assert!(models.named_through_aliases(&named("A")).len() <= 3);
    }
}
